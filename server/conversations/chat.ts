import type { Message } from '../../protocol/index.js';
import type { Announcer } from '../announcer/index.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { AppError, conflict, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Logger } from '../logger.js';
import { conversationData, messageData, type WebhookOutbox } from '../webhooks/index.js';
import type {
  AgentRecord,
  AppendedMessage,
  Audience,
  ConversationRecord,
  InboxRow,
  NewDelivery,
  NewMessage,
  Store,
  VisitorRecord,
} from '../store/index.js';

export interface InboxPage {
  items: InboxRow[];
  nextCursor: string | null;
}

const MAX_REPLAY = 1000;

/** The socket a message came over: it hears its ack, before anyone else hears of the message. */
export interface SendOrigin {
  socketId: string;
  acknowledge(message: Message): void;
}

const encodeInboxCursor = (row: InboxRow) => encodeCursor(row.lastActivityAt, row.id);

function decodeInboxCursor(cursor: string): { lastActivityAt: string; id: string } {
  const [lastActivityAt, id] = decodeCursor(
    cursor,
    'The cursor is not one this server issued; start over',
  );
  return { lastActivityAt, id };
}

/** Conversations and messages: who may see what, and every write to them, announced. */
export class ChatService {
  constructor(
    private readonly store: Store,
    private readonly announcer: Announcer,
    private readonly logger: Logger,
    private readonly webhooks: WebhookOutbox,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * A message, with the webhook deliveries it makes written in its transaction. Without a
   * subscriber to these events (the cached answer, usually) the append is as before.
   */
  private async append(projectId: string, message: NewMessage): Promise<AppendedMessage> {
    const subscribers = await this.webhooks.wants(projectId, [
      'message.created',
      'conversation.created',
    ]);
    if (!subscribers) return this.store.conversations.append(message);
    const appended = await this.store.conversations.append({
      ...message,
      outbox: ({ message: m, opened, conversation: c }) => {
        const conversation = conversationData(c, c.visitor.externalUserId);
        const event = { projectId, at: m.createdAt, orderKey: c.id };
        const deliveries: NewDelivery[] = [];
        if (opened) {
          deliveries.push(
            ...this.webhooks.deliveries(subscribers, {
              ...event,
              type: 'conversation.created',
              data: { conversation },
            }),
          );
        }
        deliveries.push(
          ...this.webhooks.deliveries(subscribers, {
            ...event,
            type: 'message.created',
            data: { conversation, message: messageData(m) },
          }),
        );
        return deliveries;
      },
    });
    if (appended.created) this.webhooks.written();
    return appended;
  }

  /** Projects an agent works in (admins: all). */
  async projectIdsFor(agent: AgentRecord): Promise<string[]> {
    if (agent.role === 'admin') return (await this.store.projects.list()).map((p) => p.id);
    return agent.projectIds;
  }

  canAgentSee(agent: AgentRecord, projectId: string): boolean {
    return agent.role === 'admin' || agent.projectIds.includes(projectId);
  }

  /** A conversation the agent may see, else not_found (never "forbidden": that would leak it). */
  async conversationForAgent(agent: AgentRecord, id: string): Promise<ConversationRecord> {
    const conversation = await this.store.conversations.get(id);
    if (!conversation || !this.canAgentSee(agent, conversation.projectId)) {
      throw notFound('Conversation');
    }
    return conversation;
  }

  /** A conversation of this visitor, else not_found. */
  async conversationForVisitor(visitor: VisitorRecord, id: string): Promise<ConversationRecord> {
    const conversation = await this.store.conversations.get(id);
    if (!conversation || conversation.visitorId !== visitor.id) throw notFound('Conversation');
    return conversation;
  }

  /**
   * A visitor's message goes to their open conversation, or opens one. A send whose ack the
   * client never saw is retried with the same client id, possibly after the conversation was
   * closed: it gets the original message back and opens nothing (the store answers repeats).
   */
  async visitorSend(
    visitor: VisitorRecord,
    clientMessageId: string,
    body: string,
    origin: SendOrigin,
  ): Promise<AppendedMessage> {
    const appended = await this.append(visitor.projectId, {
      target: {
        openFor: {
          visitorId: visitor.id,
          projectId: visitor.projectId,
          newConversationId: newId('conv'),
        },
      },
      senderKey: `v:${visitor.id}`,
      clientMessageId,
      author: { kind: 'visitor', id: visitor.id, name: null, avatarUrl: null },
      body,
      createdAt: this.now().toISOString(),
    });
    await this.delivered(appended, origin);
    return appended;
  }

  async agentSend(
    agent: AgentRecord,
    conversationId: string,
    clientMessageId: string,
    body: string,
    origin: SendOrigin,
  ): Promise<AppendedMessage> {
    const conversation = await this.conversationForAgent(agent, conversationId);
    const senderKey = `a:${agent.id}`;
    // A retried send gets its original ack even if the conversation was closed since (the
    // append answers repeats); only a new message is refused.
    if (
      conversation.status === 'closed' &&
      !(await this.store.conversations.messageBySender(senderKey, clientMessageId))
    ) {
      throw new AppError(
        'conversation_closed',
        409,
        'This conversation is closed; reopen it to reply',
      );
    }
    const appended = await this.append(conversation.projectId, {
      target: { conversationId },
      senderKey,
      clientMessageId,
      author: { kind: 'agent', id: agent.id, name: agent.name, avatarUrl: null },
      body,
      createdAt: this.now().toISOString(),
    });
    await this.delivered(appended, origin);
    return appended;
  }

  /**
   * A note in the timeline that only agents get (what a card action recorded), written as the
   * agent who used the button. `clientMessageId` makes a repeat a no-op.
   */
  async agentNote(
    agent: AgentRecord,
    conversation: ConversationRecord,
    clientMessageId: string,
    body: string,
  ): Promise<Message> {
    const appended = await this.store.conversations.append({
      target: { conversationId: conversation.id },
      senderKey: `n:${agent.id}`,
      clientMessageId,
      author: { kind: 'agent', id: agent.id, name: agent.name, avatarUrl: null },
      body,
      createdAt: this.now().toISOString(),
      visibility: 'agents',
    });
    if (appended.created) {
      await this.announcer
        .messageCreated(appended.message, appended.conversation, false)
        .catch((error: unknown) => {
          this.logger.warn({ err: error }, 'fan-out of a note failed; agents catch up on resume');
        });
    }
    return appended.message;
  }

  /**
   * The sender hears its ack first; a repeated send changes nothing, so nobody else hears of it.
   * The message is committed and acknowledged when the others are told: if that fails (database
   * or bus hiccup), they catch up on their next resume, and the sender must not get an error for
   * a send that succeeded.
   */
  private async delivered(appended: AppendedMessage, origin: SendOrigin): Promise<void> {
    origin.acknowledge(appended.message);
    if (!appended.created) return;
    await this.announcer
      .messageCreated(appended.message, appended.conversation, appended.opened, origin.socketId)
      .catch((error: unknown) => {
        this.logger.warn(
          { err: error },
          'fan-out after an acknowledged message failed; clients catch up on resume',
        );
      });
  }

  /** Closes or reopens; answers the conversation as it is now. */
  async setStatus(
    agent: AgentRecord,
    conversationId: string,
    status: 'open' | 'closed',
  ): Promise<InboxRow> {
    const existing = await this.conversationForAgent(agent, conversationId);
    if (existing.status === status) return this.inboxRow(conversationId);
    const type = status === 'closed' ? 'conversation.closed' : 'conversation.reopened';
    const subscribers = await this.webhooks.wants(existing.projectId, [type]);
    const at = this.now().toISOString();
    const externalUserId = subscribers
      ? ((await this.store.visitors.get(existing.visitorId))?.externalUserId ?? null)
      : null;
    const updated = await this.store.conversations.setStatus(
      conversationId,
      status,
      at,
      subscribers
        ? (changed) =>
            this.webhooks.deliveries(subscribers, {
              projectId: changed.projectId,
              type,
              at,
              orderKey: changed.id,
              data: { conversation: conversationData(changed, externalUserId) },
            })
        : undefined,
    );
    if (subscribers) this.webhooks.written();
    if (!updated) {
      throw conflict(
        'This visitor already has another open conversation; continue there instead of reopening',
      );
    }
    const row = await this.inboxRow(conversationId);
    await this.announcer.conversationChanged(row, status === 'closed' ? 'closed' : 'reopened');
    return row;
  }

  async markRead(
    conversation: ConversationRecord,
    side: 'visitor' | 'agents',
    seq: number,
  ): Promise<ConversationRecord> {
    const updated = await this.store.conversations.markRead(conversation.id, side, seq);
    if (!updated) throw notFound('Conversation');
    const before = side === 'visitor' ? conversation.visitorReadSeq : conversation.agentReadSeq;
    const after = side === 'visitor' ? updated.visitorReadSeq : updated.agentReadSeq;
    if (after !== before) await this.announcer.read(await this.inboxRow(conversation.id), side);
    return updated;
  }

  /** The visitor is typing (or stopped) in their open conversation, if they have one. */
  async visitorTyping(visitor: VisitorRecord, isTyping: boolean, socketId: string): Promise<void> {
    const conversation = await this.store.conversations.openOf(visitor.id);
    if (!conversation) return;
    const author = { kind: 'visitor', id: visitor.id, name: null } as const;
    await this.announcer.typing(conversation, author, isTyping, socketId);
  }

  async agentTyping(
    agent: AgentRecord,
    conversationId: string,
    isTyping: boolean,
    socketId: string,
  ): Promise<void> {
    const conversation = await this.conversationForAgent(agent, conversationId);
    const author = { kind: 'agent', id: agent.id, name: agent.name } as const;
    await this.announcer.typing(conversation, author, isTyping, socketId);
  }

  async inbox(
    agent: AgentRecord,
    query: { status?: 'open' | 'closed'; projectId?: string; cursor?: string; limit?: number },
  ): Promise<InboxPage> {
    let projectIds = await this.projectIdsFor(agent);
    if (query.projectId !== undefined) {
      projectIds = projectIds.filter((id) => id === query.projectId);
    }
    const limit = query.limit ?? 30;
    const items = await this.store.conversations.inbox({
      projectIds,
      status: query.status ?? 'open',
      limit,
      ...(query.cursor ? { after: decodeInboxCursor(query.cursor) } : {}),
    });
    const last = items.at(-1);
    return { items, nextCursor: items.length === limit && last ? encodeInboxCursor(last) : null };
  }

  async inboxRow(conversationId: string): Promise<InboxRow> {
    const row = await this.store.conversations.inboxRow(conversationId);
    if (!row) throw notFound('Conversation');
    return row;
  }

  /** Messages a (re)connecting client missed, in order; notes for agents only to agents. */
  missedMessages(
    conversation: ConversationRecord,
    afterSeq: number,
    audience: Audience,
  ): Promise<Message[]> {
    return this.store.conversations.messagesAfter(conversation.id, afterSeq, MAX_REPLAY, audience);
  }

  history(
    conversation: ConversationRecord,
    beforeSeq: number | undefined,
    limit: number,
    audience: Audience,
  ): Promise<{ items: Message[]; hasMore: boolean }> {
    return this.store.conversations.messagesBefore(conversation.id, beforeSeq, limit, audience);
  }
}
