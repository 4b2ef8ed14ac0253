import {
  Migrator,
  PostgresAdapter,
  sql,
  type Kysely,
  type Migration,
  type MigrationProvider,
} from 'kysely';
import { contactsSchema } from './contacts-schema.js';

/**
 * Versioned migrations, in code so that they ship inside the build. Names sort in apply order.
 * Never edit one that has shipped: add the next.
 */
const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('projects')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('allowed_origins', 'text', (c) => c.notNull())
        .addColumn('widget', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('agents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('agent_projects')
        .addColumn('agent_id', 'text', (c) =>
          c.notNull().references('agents.id').onDelete('cascade'),
        )
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addPrimaryKeyConstraint('agent_projects_pk', ['agent_id', 'project_id'])
        .execute();

      await db.schema
        .createTable('agent_sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('agent_id', 'text', (c) =>
          c.notNull().references('agents.id').onDelete('cascade'),
        )
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('visitors')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('external_user_id', 'text')
        .addColumn('identity', 'text', (c) => c.notNull())
        .addColumn('first_seen_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('page_url', 'text')
        .addColumn('referrer', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('locale', 'text')
        .execute();
      await db.schema
        .createIndex('visitors_project_external')
        .on('visitors')
        .columns(['project_id', 'external_user_id'])
        .execute();

      await db.schema
        .createTable('conversations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('visitor_id', 'text', (c) =>
          c.notNull().references('visitors.id').onDelete('cascade'),
        )
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_activity_at', 'text', (c) => c.notNull())
        .addColumn('last_seq', 'integer', (c) => c.notNull())
        .addColumn('last_message_body', 'text')
        .addColumn('last_message_author', 'text')
        .addColumn('last_message_at', 'text')
        .addColumn('visitor_read_seq', 'integer', (c) => c.notNull())
        .addColumn('agent_read_seq', 'integer', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .execute();
      // The database, not the code, guarantees one open conversation per visitor, also under
      // concurrent starts.
      await db.schema
        .createIndex('conversations_one_open_per_visitor')
        .on('conversations')
        .column('visitor_id')
        .unique()
        .where(sql.ref('status'), '=', 'open')
        .execute();
      await db.schema
        .createIndex('conversations_inbox')
        .on('conversations')
        .columns(['project_id', 'status', 'last_activity_at', 'id'])
        .execute();

      await db.schema
        .createTable('messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conversation_id', 'text', (c) =>
          c.notNull().references('conversations.id').onDelete('cascade'),
        )
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('sender_key', 'text')
        .addColumn('client_message_id', 'text')
        .addColumn('author_kind', 'text', (c) => c.notNull())
        .addColumn('author_id', 'text')
        .addColumn('author_name', 'text')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('messages_conversation_seq', ['conversation_id', 'seq'])
        .addUniqueConstraint('messages_idempotency', ['sender_key', 'client_message_id'])
        .execute();
    },
  },
  '0002_identity': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('visitor_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('visitor_id', 'text', (c) =>
          c.notNull().references('visitors.id').onDelete('cascade'),
        )
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('visitors_contact')
        .on('visitors')
        .columns(['project_id', 'external_user_id', 'identity', 'first_seen_at'])
        .execute();

      await db.schema
        .createTable('project_integrations')
        .addColumn('project_id', 'text', (c) =>
          c.primaryKey().references('projects.id').onDelete('cascade'),
        )
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('style', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('param_name', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('headers_sealed', 'text')
        .addColumn('freshness_seconds', 'integer', (c) => c.notNull())
        .addColumn('require_verified', 'integer', (c) => c.notNull())
        .addColumn('secrets_sealed', 'text')
        .addColumn('health_status', 'text', (c) => c.notNull())
        .addColumn('failing_since', 'text')
        .addColumn('last_success_at', 'text')
        .addColumn('last_error', 'text')
        .addColumn('updated_at', 'text')
        .execute();

      await db.schema
        .createTable('contacts')
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('external_user_id', 'text', (c) => c.notNull())
        .addColumn('profile', 'text')
        .addColumn('name', 'text')
        .addColumn('fetched_at', 'text')
        .addColumn('http_status', 'integer')
        .addColumn('latency_ms', 'real')
        .addColumn('last_attempt', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('contacts_pk', ['project_id', 'external_user_id'])
        .execute();

      await db.schema
        .createTable('integration_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('external_user_id', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('http_status', 'integer')
        .addColumn('latency_ms', 'real')
        .addColumn('error_class', 'text')
        .addColumn('message', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('integration_log_recent')
        .on('integration_log')
        .columns(['project_id', 'at'])
        .execute();
    },
  },
  /**
   * Unread counts kept on the conversation: counting unread messages on every append made each
   * message cost a scan of everything unread (bench/realtime.ts), and grew with the backlog.
   */
  '0003_unread_counters': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('conversations')
        .addColumn('unread_for_agents', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('conversations')
        .addColumn('unread_for_visitor', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`
        update conversations set
          unread_for_agents = (
            select count(*) from messages m
            where m.conversation_id = conversations.id
              and m.author_kind = 'visitor' and m.seq > conversations.agent_read_seq),
          unread_for_visitor = (
            select count(*) from messages m
            where m.conversation_id = conversations.id
              and m.author_kind <> 'visitor' and m.seq > conversations.visitor_read_seq)
      `.execute(db);
    },
  },
  /** Contacts pushed, pulled and carried in tokens: provenance, search, erasure, audit log. */
  '0004_contacts': {
    async up(db: Kysely<unknown>) {
      const dialect = db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
      await contactsSchema(db, dialect);
      await db.schema.alterTable('visitors').addColumn('erased_at', 'text').execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('merged_from', 'text')
        .execute();
      await db.schema
        .createIndex('audit_log_subject')
        .on('audit_log')
        .columns(['project_id', 'subject', 'action', 'at'])
        .execute();
      await db.schema
        .createIndex('audit_log_merged_from')
        .on('audit_log')
        .columns(['project_id', 'merged_from', 'at'])
        .execute();
    },
  },
  /** Keys of the public API (/api/v1); a key is found by the hash of what the caller sends. */
  '0005_api_keys': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('roles', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.references('agents.id').onDelete('set null'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createIndex('api_keys_project')
        .on('api_keys')
        .columns(['project_id', 'created_at'])
        .execute();
    },
  },
  /**
   * Per-integration field mapping and 404 behaviour (null mapping: the automatic detection every
   * integration had before), and the project event record other features deliver from.
   */
  '0006_integration_mapping': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('project_integrations').addColumn('mapping', 'text').execute();
      await db.schema
        .alterTable('project_integrations')
        .addColumn('on_not_found', 'text', (c) => c.notNull().defaultTo('keep'))
        .execute();
      await db.schema
        .createTable('events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('events_recent')
        .on('events')
        .columns(['project_id', 'at'])
        .execute();
    },
  },
  /**
   * Each project's secrets for signing the requests Palaver sends (cards, actions, webhooks),
   * sealed with PALAVER_SECRET_KEY. A null expiry marks the primary; the unique index keeps it to
   * one per project even when two rotations race.
   */
  '0007_signing_secrets': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('signing_secrets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('sealed', 'text', (c) => c.notNull())
        .addColumn('shown', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .execute();
      await db.schema
        .createIndex('signing_secrets_project')
        .on('signing_secrets')
        .columns(['project_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('signing_secrets_primary')
        .on('signing_secrets')
        .column('project_id')
        .unique()
        .where(sql.ref('expires_at'), 'is', null)
        .execute();
    },
  },
  /** The cards of each project: site endpoints that answer with live data for agents. */
  '0008_cards': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('cards')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('headers_sealed', 'text')
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('cache_seconds', 'integer', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('cards_project_name', ['project_id', 'name'])
        .execute();
    },
  },
  /**
   * Cards at work: messages only agents see (an action's note), the outcome of each action per
   * idempotency key (a double click or a retry reaches the site once), and the card call log.
   */
  '0009_card_actions': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('messages')
        .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('all'))
        .execute();

      await db.schema
        .createTable('card_actions')
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        /** What the key was used for: card, action and conversation; another use is refused. */
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('external_user_id', 'text')
        /** Null while the first use of the key is calling the site. */
        .addColumn('outcome', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('card_actions_pk', ['project_id', 'idempotency_key'])
        .execute();

      await db.schema
        .createTable('card_calls')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('card_id', 'text', (c) => c.notNull())
        .addColumn('card_name', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'text')
        .addColumn('agent_name', 'text')
        .addColumn('external_user_id', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('action', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('http_status', 'integer')
        .addColumn('latency_ms', 'real')
        .addColumn('error_class', 'text')
        .addColumn('message', 'text', (c) => c.notNull())
        /** JSON: the inputs after the PII guard, and what it dropped (paths and reasons). */
        .addColumn('details', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('card_calls_project_at')
        .on('card_calls')
        .columns(['project_id', 'at', 'id'])
        .execute();
      await db.schema
        .createIndex('card_calls_contact')
        .on('card_calls')
        .columns(['project_id', 'external_user_id'])
        .execute();
    },
  },
  /**
   * Webhook subscriptions and their outbox. Deliveries are claimed by due time and kept in order
   * per (subscription, order key); see server/webhooks.
   */
  '0010_webhooks': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('webhook_subscriptions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('disabled_reason', 'text')
        .addColumn('disabled_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('last_success_at', 'text')
        .addColumn('failing_since', 'text')
        .execute();
      await db.schema
        .createIndex('webhook_subscriptions_project')
        .on('webhook_subscriptions')
        .column('project_id')
        .execute();
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) =>
          c.notNull().references('projects.id').onDelete('cascade'),
        )
        .addColumn('subscription_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('order_key', 'text')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('give_up_at', 'text', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text')
        .addColumn('lease_until', 'text')
        .addColumn('last_attempt_at', 'text')
        .addColumn('response_status', 'integer')
        .addColumn('latency_ms', 'integer')
        .addColumn('error_class', 'text')
        .addColumn('excerpt', 'text')
        .execute();
      // Only rows still to attempt are in it: the claim's scan stays as small as the backlog.
      await db.schema
        .createIndex('webhook_deliveries_due')
        .on('webhook_deliveries')
        .column('next_attempt_at')
        .where(sql.ref('next_attempt_at'), 'is not', null)
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_order')
        .on('webhook_deliveries')
        .columns(['subscription_id', 'order_key', 'id'])
        .where(sql.ref('next_attempt_at'), 'is not', null)
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_log')
        .on('webhook_deliveries')
        .columns(['subscription_id', 'id'])
        .execute();
    },
  },
  '0011_webhook_claims_per_subscription': {
    async up(db: Kysely<unknown>) {
      // A claim reads each subscription's due rows on their own: one receiver's backlog is never
      // scanned to claim another's, nor to find that its own queue is full.
      await db.schema
        .createIndex('webhook_deliveries_due_per_subscription')
        .on('webhook_deliveries')
        .columns(['subscription_id', 'next_attempt_at'])
        .where(sql.ref('next_attempt_at'), 'is not', null)
        .execute();
      await db.schema.dropIndex('webhook_deliveries_due').execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Brings the schema up to date. Kysely takes a database lock, so concurrent starts are safe. */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<string[]> {
  // Kysely looks for its bookkeeping tables across schemas; name ours so tests can share a database.
  const migrator = new Migrator({
    db,
    provider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(
      `Database migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
