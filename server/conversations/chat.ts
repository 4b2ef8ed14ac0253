import type { Message } from '../../protocol/index.js';
import { AppError, conflict, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type {
  AgentRecord,
  ConversationRecord,
  InboxRow,
  Store,
  VisitorRecord,
} from '../store/index.js';

export interface SendResult {
  message: Message;
  /** False when the client id was seen before: nothing new was written. */
  created: boolean;
  conversation: ConversationRecord;
  /** True when this send opened the conversation. */
  opened: boolean;
}

export interface InboxPage {
  items: InboxRow[];
  nextCursor: string | null;
}

const MAX_REPLAY = 1000;

function encodeCursor(row: InboxRow): string {
  return Buffer.from(JSON.stringify([row.lastActivityAt, row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { lastActivityAt: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    ) {
      return { lastActivityAt: value[0], id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('bad_request', 400, 'The cursor is not one this server issued; start over');
}

/** Conversations and messages: who may see what, and every write to them. */
export class ChatService {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Projects an agent works in (admins: all). */
  async projectIdsFor(agent: AgentRecord): Promise<string[]> {
    if (agent.role === 'admin') return (await this.store.listProjects()).map((p) => p.id);
    return agent.projectIds;
  }

  async canAgentSee(agent: AgentRecord, projectId: string): Promise<boolean> {
    return agent.role === 'admin' || agent.projectIds.includes(projectId);
  }

  /** A conversation the agent may see, else not_found (never "forbidden": that would leak it). */
  async conversationForAgent(agent: AgentRecord, id: string): Promise<ConversationRecord> {
    const conversation = await this.store.getConversation(id);
    if (!conversation || !(await this.canAgentSee(agent, conversation.projectId))) {
      throw notFound('Conversation');
    }
    return conversation;
  }

  /** A conversation of this visitor, else not_found. */
  async conversationForVisitor(visitor: VisitorRecord, id: string): Promise<ConversationRecord> {
    const conversation = await this.store.getConversation(id);
    if (!conversation || conversation.visitorId !== visitor.id) throw notFound('Conversation');
    return conversation;
  }

  /**
   * A send whose ack the client never saw is retried with the same client id, possibly after the
   * conversation was closed: it must get the original ack, not open a conversation or fail.
   */
  private async previousSend(
    senderKey: string,
    clientMessageId: string,
  ): Promise<SendResult | null> {
    const message = await this.store.findMessageBySender(senderKey, clientMessageId);
    if (!message) return null;
    const conversation = await this.store.getConversation(message.conversationId);
    if (!conversation) return null;
    return { message, created: false, conversation, opened: false };
  }

  async visitorSend(
    visitor: VisitorRecord,
    clientMessageId: string,
    body: string,
  ): Promise<SendResult> {
    const senderKey = `v:${visitor.id}`;
    const previous = await this.previousSend(senderKey, clientMessageId);
    if (previous) return previous;
    // Most sends go to the conversation already open: look it up first, because opening one that
    // exists costs a failed INSERT and a thrown unique violation (~70 µs, bench/realtime.ts).
    // openConversation still settles the race of two first sends.
    const open = await this.store.getOpenConversation(visitor.id);
    const { conversation, created: opened } = open
      ? { conversation: open, created: false }
      : await this.store.openConversation({
          id: newId('conv'),
          projectId: visitor.projectId,
          visitorId: visitor.id,
          createdAt: this.now().toISOString(),
        });
    const result = await this.store.appendMessage({
      conversationId: conversation.id,
      senderKey,
      clientMessageId,
      author: { kind: 'visitor', id: visitor.id, name: null, avatarUrl: null },
      body,
      createdAt: this.now().toISOString(),
    });
    return { ...result, conversation: result.conversation ?? conversation, opened };
  }

  async agentSend(
    agent: AgentRecord,
    conversationId: string,
    clientMessageId: string,
    body: string,
  ): Promise<SendResult> {
    const conversation = await this.conversationForAgent(agent, conversationId);
    const senderKey = `a:${agent.id}`;
    const previous = await this.previousSend(senderKey, clientMessageId);
    if (previous) return previous;
    if (conversation.status === 'closed') {
      throw new AppError(
        'conversation_closed',
        409,
        'This conversation is closed; reopen it to reply',
      );
    }
    const result = await this.store.appendMessage({
      conversationId,
      senderKey,
      clientMessageId,
      author: { kind: 'agent', id: agent.id, name: agent.name, avatarUrl: null },
      body,
      createdAt: this.now().toISOString(),
    });
    // The agent has read everything up to their own reply.
    const current = await this.store.markRead(conversationId, 'agents', result.message.seq);
    return { ...result, conversation: current ?? conversation, opened: false };
  }

  async setStatus(
    agent: AgentRecord,
    conversationId: string,
    status: 'open' | 'closed',
  ): Promise<{ conversation: ConversationRecord; changed: boolean }> {
    const existing = await this.conversationForAgent(agent, conversationId);
    if (existing.status === status) return { conversation: existing, changed: false };
    const updated = await this.store.setConversationStatus(
      conversationId,
      status,
      this.now().toISOString(),
    );
    if (!updated) {
      throw conflict(
        'This visitor already has another open conversation; continue there instead of reopening',
      );
    }
    return { conversation: updated, changed: true };
  }

  async markRead(
    conversation: ConversationRecord,
    side: 'visitor' | 'agents',
    seq: number,
  ): Promise<ConversationRecord> {
    const updated = await this.store.markRead(conversation.id, side, seq);
    if (!updated) throw notFound('Conversation');
    return updated;
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
    const items = await this.store.inbox({
      projectIds,
      status: query.status ?? 'open',
      limit,
      ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}),
    });
    const last = items.at(-1);
    return { items, nextCursor: items.length === limit && last ? encodeCursor(last) : null };
  }

  async inboxRow(conversationId: string): Promise<InboxRow> {
    const row = await this.store.inboxRow(conversationId);
    if (!row) throw notFound('Conversation');
    return row;
  }

  /** Messages a (re)connecting client missed, in order. */
  missedMessages(conversation: ConversationRecord, afterSeq: number): Promise<Message[]> {
    return this.store.messagesAfter(conversation.id, afterSeq, MAX_REPLAY);
  }

  history(
    conversation: ConversationRecord,
    beforeSeq: number | undefined,
    limit: number,
  ): Promise<{ items: Message[]; hasMore: boolean }> {
    return this.store.messagesBefore(conversation.id, beforeSeq, limit);
  }

  unreadForVisitor(conversation: ConversationRecord): Promise<number> {
    return this.store.unreadForVisitor(conversation);
  }
}
