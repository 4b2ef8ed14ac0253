import type { Author, AuthorKind, Message } from '../../protocol/index.js';
import type { VisitorRecord } from './visitors-port.js';
import type { NewDelivery } from './webhooks-port.js';

export interface ConversationRecord {
  id: string;
  projectId: string;
  visitorId: string;
  status: 'open' | 'closed';
  createdAt: string;
  lastActivityAt: string;
  lastSeq: number;
  lastMessage: { seq: number; authorKind: AuthorKind; body: string; createdAt: string } | null;
  visitorReadSeq: number;
  agentReadSeq: number;
  /** Visitor messages after the agents' read marker. */
  unreadForAgents: number;
  /** Agent and system messages after the visitor's read marker. */
  unreadForVisitor: number;
  closedAt: string | null;
}

/** A conversation joined with what the inbox shows about its visitor. */
export interface InboxRow extends ConversationRecord {
  visitor: Pick<VisitorRecord, 'id' | 'externalUserId' | 'identity' | 'erasedAt'> & {
    /** The contact's profile name, when the site gave one. */
    name: string | null;
  };
}

export type MessageTarget =
  | { conversationId: string }
  /** The visitor's open conversation, opened under `newConversationId` when there is none. */
  | { openFor: { visitorId: string; projectId: string; newConversationId: string } };

export interface NewMessage {
  target: MessageTarget;
  /** Scope of `clientMessageId` uniqueness: `v:<visitorId>` or `a:<agentId>`; null for system. */
  senderKey: string | null;
  clientMessageId: string | null;
  author: Author;
  body: string;
  createdAt: string;
  /**
   * `agents`: a note the visitor never gets. It takes the next seq but changes nothing else of the
   * conversation: no preview, no unread count, no read marker, no activity time.
   */
  visibility?: 'agents';
  /** Webhook deliveries telling of a new message, written in its transaction (not for repeats). */
  outbox?: (appended: AppendedMessage) => NewDelivery[];
}

/** Who reads a conversation's messages: the visitor never gets notes for agents. */
export type Audience = 'visitor' | 'agents';

export interface InboxQuery {
  projectIds: string[];
  status: 'open' | 'closed';
  limit: number;
  after?: { lastActivityAt: string; id: string };
}

export interface AppendedMessage {
  message: Message;
  /** False when the sender's client id was stored before: nothing new was written. */
  created: boolean;
  /** True when this append opened the conversation. */
  opened: boolean;
  /** The message's conversation as it is after the append. */
  conversation: InboxRow;
}

/** Conversations and their messages. */
export interface ConversationStore {
  get(id: string): Promise<ConversationRecord | null>;
  /** The visitor's open conversation (a visitor has at most one). */
  openOf(visitorId: string): Promise<ConversationRecord | null>;
  /** Null when the status cannot change: reopening while the visitor has another open one. */
  setStatus(
    id: string,
    status: 'open' | 'closed',
    at: string,
    /** Webhook deliveries telling of the change, written in its transaction. */
    outbox?: (changed: ConversationRecord) => NewDelivery[],
  ): Promise<ConversationRecord | null>;
  /** Moves a side's read marker forward (never back) and returns the conversation. */
  markRead(id: string, side: 'visitor' | 'agents', seq: number): Promise<ConversationRecord | null>;
  inbox(query: InboxQuery): Promise<InboxRow[]>;
  inboxRow(conversationId: string): Promise<InboxRow | null>;

  /**
   * Stores a message with its conversation's next seq, committed when the promise resolves. The
   * same (senderKey, clientMessageId) always yields the first stored message and writes nothing.
   * An agent's message also moves the agents' read marker to it: they have read what they answer.
   */
  append(message: NewMessage): Promise<AppendedMessage>;
  /** The message a sender already stored under this client id, if any. */
  messageBySender(senderKey: string, clientMessageId: string): Promise<Message | null>;
  messagesAfter(
    conversationId: string,
    afterSeq: number,
    limit: number,
    /** Default `visitor`: notes for agents come only to those who ask for them. */
    audience?: Audience,
  ): Promise<Message[]>;
  /** The `limit` messages before `beforeSeq` (or the latest), ascending, and whether more exist. */
  messagesBefore(
    conversationId: string,
    beforeSeq: number | undefined,
    limit: number,
    /** Default `visitor`: notes for agents come only to those who ask for them. */
    audience?: Audience,
  ): Promise<{ items: Message[]; hasMore: boolean }>;
}
