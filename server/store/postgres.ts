import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { KyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import { GuardedPool } from './postgres-pool.js';
import { isUniqueViolation } from './unique-violation.js';
import { DEFAULT_DATABASE_TIMEOUT_MS } from './unavailable.js';
import type { Database } from './schema.js';

export interface PostgresOptions {
  /** Keep Palaver's tables in this schema (created if missing) instead of the default one. */
  schema?: string;
  /** Connections per instance. */
  poolSize?: number;
  /**
   * How long a query may take, and a connection may take to open, before the request fails as
   * `unavailable` (HTTP 503) instead of waiting on a database that does not answer.
   */
  timeoutMs?: number;
}

/**
 * PostgreSQL for scale-out: several instances share one database. Migrations run at start under
 * Kysely's advisory lock, so instances starting together apply each migration once.
 */
export async function openPostgresStore(
  connectionString: string,
  options: PostgresOptions = {},
): Promise<KyselyStore> {
  const schema = options.schema;
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new RangeError(`Invalid PostgreSQL schema name "${schema}"`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_DATABASE_TIMEOUT_MS;
  const connection: pg.PoolConfig = {
    connectionString,
    connectionTimeoutMillis: timeoutMs,
    // Lets the OS notice a peer that vanished, and keeps firewalls and NATs from dropping a
    // connection that is only quiet.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  };
  await migrate(connection, schema);
  const pool = new pg.Pool({
    ...connection,
    max: options.poolSize ?? 10,
    // A connection left idle that long is closed: one that died quietly meanwhile is not kept.
    idleTimeoutMillis: 30_000,
  });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new GuardedPool(pool, timeoutMs) }),
  });
  return new KyselyStore(db, 'postgres');
}

/**
 * On a connection of its own, without any query deadline: a migration, or the wait for another
 * instance's migration to finish, may take as long as it takes.
 */
async function migrate(connection: pg.PoolConfig, schema: string | undefined): Promise<void> {
  const pool = new pg.Pool({ ...connection, max: 1 });
  // A lost connection fails the migration's query (and the start); no listener would crash first.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({
      pool,
      // Nor may a statement_timeout set for the role (README) cut a migration, or the wait for
      // another instance's, short: set on each connection before its first query.
      onCreateConnection: (created) =>
        created.executeQuery(CompiledQuery.raw('SET statement_timeout = 0')).then(() => undefined),
    }),
  });
  try {
    if (schema) {
      // Two instances creating the schema at once can still collide inside PostgreSQL.
      await sql
        .raw(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
        .execute(db)
        .catch((error: unknown) => {
          if (!isUniqueViolation(error)) throw error;
        });
    }
    await migrateToLatest(db, schema);
  } finally {
    await db.destroy();
  }
}
