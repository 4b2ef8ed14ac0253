import { map } from 'nanostores';
import type { Message, VisitorConversation } from '../../../protocol/index.js';

export interface Thread {
  conversation: VisitorConversation | null;
  /** Ascending by seq, one entry per seq. */
  messages: Message[];
  hasMore: boolean;
  loadingEarlier: boolean;
  /** Highest seq the agents have read, for the "Seen" mark. */
  agentsReadSeq: number;
}

const empty = (conversation: VisitorConversation | null): Thread => ({
  conversation,
  messages: [],
  hasMore: false,
  loadingEarlier: false,
  agentsReadSeq: 0,
});

export const $thread = map<Thread>(empty(null));

export function resetThread(conversation: VisitorConversation | null): void {
  $thread.set(empty(conversation));
}

/** Adopts a conversation; a different one (a new chat after a closed one) starts a new thread. */
export function showConversation(conversation: VisitorConversation): void {
  const current = $thread.get().conversation;
  if (current && current.id !== conversation.id) resetThread(conversation);
  else $thread.setKey('conversation', conversation);
}

export function addMessages(incoming: Message[], hasMore?: boolean): void {
  const thread = $thread.get();
  const bySeq = new Map(thread.messages.map((m) => [m.seq, m]));
  for (const message of incoming) {
    if (thread.conversation && message.conversationId !== thread.conversation.id) continue;
    bySeq.set(message.seq, message);
  }
  const messages = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const last = messages.at(-1);
  $thread.set({
    ...thread,
    messages,
    hasMore: hasMore ?? thread.hasMore,
    loadingEarlier: hasMore === undefined ? thread.loadingEarlier : false,
    conversation:
      thread.conversation && last && last.seq > thread.conversation.lastSeq
        ? { ...thread.conversation, lastSeq: last.seq }
        : thread.conversation,
  });
}
