import type { Role } from '../../protocol/index.js';

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

export type AgentPatch = Partial<
  Pick<AgentRecord, 'name' | 'role' | 'active' | 'passwordHash' | 'projectIds'>
>;

export interface AgentSessionRecord {
  idHash: string;
  agentId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

/** Agent accounts with their project memberships, and their console sessions. */
export interface AgentStore {
  /** Throws DuplicateError (`agent`, `email`) when an agent has this email, in any case. */
  create(agent: AgentRecord): Promise<void>;
  /** Creates the agent unless one with its email exists; true when this call created it. */
  createIfAbsent(agent: AgentRecord): Promise<boolean>;
  /**
   * Creates the agent only while no agent exists at all; true when this call created it. Of
   * callers racing on an empty table, exactly one creates its agent.
   */
  createFirst(agent: AgentRecord): Promise<boolean>;
  update(id: string, patch: AgentPatch): Promise<AgentRecord | null>;
  get(id: string): Promise<AgentRecord | null>;
  /** Emails compare case-insensitively. */
  byEmail(email: string): Promise<AgentRecord | null>;
  list(): Promise<AgentRecord[]>;
  count(): Promise<number>;

  createSession(session: AgentSessionRecord): Promise<void>;
  session(idHash: string): Promise<AgentSessionRecord | null>;
  deleteSession(idHash: string): Promise<void>;
  /** Signs the agent out everywhere. */
  deleteSessionsOf(agentId: string): Promise<void>;
}
