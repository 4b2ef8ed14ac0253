import type { AgentStore } from './agents-port.js';
import type { ApiKeyStore } from './api-keys-port.js';
import type { ConversationStore } from './conversations-port.js';
import type { IdentityStore } from './identity-port.js';
import type { ProjectStore } from './projects-port.js';
import type { VisitorStore } from './visitors-port.js';

export type * from './agents-port.js';
export type * from './api-keys-port.js';
export type * from './conversations-port.js';
export type * from './identity-port.js';
export type * from './projects-port.js';
export type * from './visitors-port.js';

/**
 * The storage port, one part per aggregate. Adapters (SQLite, PostgreSQL) implement it; services
 * depend only on this. Every write that returns is committed. Unique violations a caller can
 * cause reach it as DuplicateError, a database that cannot answer as StoreUnavailableError.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly projects: ProjectStore;
  readonly agents: AgentStore;
  readonly visitors: VisitorStore;
  readonly conversations: ConversationStore;
  /** Identity handoff: integrations, contacts and their profiles, the integration log. */
  readonly identity: IdentityStore;
  /** Keys of the public API, per project. */
  readonly apiKeys: ApiKeyStore;

  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
