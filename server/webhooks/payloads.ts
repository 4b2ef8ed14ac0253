import type { Message, WebhookConversation } from '../../protocol/index.js';
import type { ConversationRecord } from '../store/index.js';

/** The conversation as every conversation.* and message.created event carries it. */
export function conversationData(
  c: Pick<ConversationRecord, 'id' | 'status' | 'visitorId'>,
  externalUserId: string | null,
): WebhookConversation {
  return { id: c.id, status: c.status, visitorId: c.visitorId, externalUserId };
}

/** message.created's message: what the visitor sees of it, without the client's own ids. */
export function messageData(m: Message) {
  return {
    id: m.id,
    seq: m.seq,
    author: { kind: m.author.kind, id: m.author.id, name: m.author.name },
    body: m.body,
    createdAt: m.createdAt,
  };
}
