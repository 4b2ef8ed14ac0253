import type { IdentityStore } from './identity-store.js';
import type {
  Author,
  AuthorKind,
  IdentityStatus,
  Message,
  Role,
  WidgetOptions,
} from '../../protocol/index.js';

export interface ProjectRecord {
  id: string;
  name: string;
  allowedOrigins: string[];
  widget: WidgetOptions;
  createdAt: string;
}

export interface AgentRecord {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  passwordHash: string;
  projectIds: string[];
  createdAt: string;
}

export interface AgentSessionRecord {
  idHash: string;
  agentId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export interface VisitorRecord {
  id: string;
  projectId: string;
  externalUserId: string | null;
  identity: IdentityStatus;
  firstSeenAt: string;
  lastSeenAt: string;
  pageUrl: string | null;
  referrer: string | null;
  userAgent: string | null;
  locale: string | null;
}

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
  visitor: Pick<VisitorRecord, 'id' | 'externalUserId' | 'identity'> & {
    /** The contact's profile name, when the site gave one. */
    name: string | null;
  };
}

export interface VisitorSeen {
  lastSeenAt: string;
  pageUrl: string | null;
  referrer: string | null;
  userAgent: string | null;
  locale: string | null;
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
}

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

/**
 * The storage port. Adapters (SQLite, PostgreSQL) implement it; services depend only on this.
 * Every write that returns is committed.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Identity handoff: integrations, contacts and their profiles, the integration log. */
  readonly identity: IdentityStore;

  createProject(project: ProjectRecord): Promise<void>;
  /**
   * Creates the project unless one with its id exists; true when this call created it. Callers
   * racing with the same id (instances seeding at start) get exactly one `true`.
   */
  createProjectIfAbsent(project: ProjectRecord): Promise<boolean>;
  updateProject(
    id: string,
    patch: Partial<Pick<ProjectRecord, 'name' | 'allowedOrigins' | 'widget'>>,
  ): Promise<ProjectRecord | null>;
  getProject(id: string): Promise<ProjectRecord | null>;
  listProjects(ids?: string[]): Promise<ProjectRecord[]>;

  createAgent(agent: AgentRecord): Promise<void>;
  /** Creates the agent unless one with its email exists; true when this call created it. */
  createAgentIfAbsent(agent: AgentRecord): Promise<boolean>;
  /**
   * Creates the agent only while no agent exists at all; true when this call created it. Of
   * callers racing on an empty table, exactly one creates its agent.
   */
  createFirstAgent(agent: AgentRecord): Promise<boolean>;
  updateAgent(
    id: string,
    patch: Partial<Pick<AgentRecord, 'name' | 'role' | 'active' | 'passwordHash' | 'projectIds'>>,
  ): Promise<AgentRecord | null>;
  getAgent(id: string): Promise<AgentRecord | null>;
  getAgentByEmail(email: string): Promise<AgentRecord | null>;
  listAgents(): Promise<AgentRecord[]>;
  countAgents(): Promise<number>;
  /** Agents (active ones) that belong to a project. */
  listProjectAgentIds(projectId: string): Promise<string[]>;

  createAgentSession(session: AgentSessionRecord): Promise<void>;
  getAgentSession(idHash: string): Promise<AgentSessionRecord | null>;
  deleteAgentSession(idHash: string): Promise<void>;
  deleteAgentSessions(agentId: string): Promise<void>;

  createVisitor(visitor: VisitorRecord & { tokenHash: string }): Promise<void>;
  getVisitor(id: string): Promise<VisitorRecord | null>;
  getVisitorByTokenHash(tokenHash: string): Promise<VisitorRecord | null>;
  updateVisitor(
    id: string,
    patch: Partial<VisitorSeen & Pick<VisitorRecord, 'externalUserId' | 'identity'>>,
  ): Promise<void>;

  getConversation(id: string): Promise<ConversationRecord | null>;
  getOpenConversation(visitorId: string): Promise<ConversationRecord | null>;
  /** Null when the status cannot change: reopening while the visitor has another open one. */
  setConversationStatus(
    id: string,
    status: 'open' | 'closed',
    at: string,
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
  appendMessage(message: NewMessage): Promise<AppendedMessage>;
  /** The message a sender already stored under this client id, if any. */
  findMessageBySender(senderKey: string, clientMessageId: string): Promise<Message | null>;
  messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<Message[]>;
  /** The `limit` messages before `beforeSeq` (or the latest), ascending, and whether more exist. */
  messagesBefore(
    conversationId: string,
    beforeSeq: number | undefined,
    limit: number,
  ): Promise<{ items: Message[]; hasMore: boolean }>;

  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
