import { sql, type Kysely } from 'kysely';
import type { GroupCommitConnection } from './group-commit.js';
import { KyselyAgentStore } from './kysely-agents.js';
import { KyselyContactStore } from './kysely-contacts.js';
import { KyselyApiKeyStore } from './kysely-api-keys.js';
import { KyselyCardStore } from './kysely-cards.js';
import { KyselyConversationStore } from './kysely-conversations.js';
import { KyselyEventStore } from './kysely-events.js';
import { KyselyIdentityStore } from './kysely-identity.js';
import { KyselyProjectStore } from './kysely-projects.js';
import { KyselySigningSecretStore } from './kysely-signing-secrets.js';
import { KyselyVisitorStore } from './kysely-visitors.js';
import { KyselyWebhookStore } from './kysely-webhooks.js';
import type { Store } from './port.js';
import type { Database } from './schema.js';

/**
 * The Store over Kysely. The SQL is portable between SQLite and PostgreSQL; the adapters differ
 * only in how they connect (see sqlite.ts, postgres.ts).
 */
export class KyselyStore implements Store {
  readonly projects: KyselyProjectStore;
  readonly agents: KyselyAgentStore;
  readonly visitors: KyselyVisitorStore;
  readonly conversations: KyselyConversationStore;
  readonly identity: KyselyIdentityStore;
  readonly contacts: KyselyContactStore;
  readonly events: KyselyEventStore;
  readonly apiKeys: KyselyApiKeyStore;
  readonly cards: KyselyCardStore;
  readonly signingSecrets: KyselySigningSecretStore;
  readonly webhooks: KyselyWebhookStore;
  /** Adapter-specific work to stop before the connections close. */
  private readonly beforeClose: (() => Promise<void>) | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: 'sqlite' | 'postgres',
    options: {
      beforeClose?: () => Promise<void>;
      /** The connection message appends share transactions on (see KyselyConversationStore). */
      groupCommit?: GroupCommitConnection;
    } = {},
  ) {
    this.projects = new KyselyProjectStore(db);
    this.agents = new KyselyAgentStore(db, dialect);
    this.visitors = new KyselyVisitorStore(db, dialect);
    this.conversations = new KyselyConversationStore(db, dialect, options.groupCommit);
    this.identity = new KyselyIdentityStore(db);
    this.contacts = new KyselyContactStore(db, dialect);
    this.events = new KyselyEventStore(db);
    this.apiKeys = new KyselyApiKeyStore(db);
    this.cards = new KyselyCardStore(db);
    this.signingSecrets = new KyselySigningSecretStore(db);
    this.webhooks = new KyselyWebhookStore(db, dialect);
    this.beforeClose = options.beforeClose;
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.conversations.drain();
    await this.beforeClose?.();
    await this.db.destroy();
  }
}
