import type { AgentStore } from './agents-port.js';
import type { ContactStore } from './contacts-port.js';
import type { ApiKeyStore } from './api-keys-port.js';
import type { CardStore } from './cards-port.js';
import type { ConversationStore } from './conversations-port.js';
import type { EventStore } from './events-port.js';
import type { IdentityStore } from './identity-port.js';
import type { ProjectStore } from './projects-port.js';
import type { SigningSecretStore } from './signing-secrets-port.js';
import type { VisitorStore } from './visitors-port.js';
import type { WebhookStore } from './webhooks-port.js';

export type * from './agents-port.js';
export type * from './contacts-port.js';
export type * from './api-keys-port.js';
export type * from './cards-port.js';
export type * from './conversations-port.js';
export type * from './events-port.js';
export type * from './identity-port.js';
export type * from './projects-port.js';
export type * from './signing-secrets-port.js';
export type * from './visitors-port.js';
export type * from './webhooks-port.js';

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
  /** Identity handoff: integrations and the integration log. */
  readonly identity: IdentityStore;
  /** The contacts: one record per (project, external id), with provenance; search; erasure. */
  readonly contacts: ContactStore;
  /** What happened in each project, for features that deliver it later (webhooks). */
  readonly events: EventStore;
  /** Keys of the public API, per project. */
  readonly apiKeys: ApiKeyStore;
  /** The cards of each project: site endpoints that answer with live data for agents. */
  readonly cards: CardStore;
  /** Secrets that sign the requests Palaver sends to sites, per project. */
  readonly signingSecrets: SigningSecretStore;
  /** Webhook subscriptions and the outbox of their deliveries. */
  readonly webhooks: WebhookStore;

  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
