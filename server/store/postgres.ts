import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { KyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import { isUniqueViolation } from './unique-violation.js';
import type { Database } from './schema.js';

export interface PostgresOptions {
  /** Keep Palaver's tables in this schema (created if missing) instead of the default one. */
  schema?: string;
  /** Connections per instance. */
  poolSize?: number;
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
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // A client losing its server (restart, failover) must not crash the process: idle clients
  // report on the pool, checked-out ones on themselves (pg emits it with no listener attached).
  // The queries in flight fail on their own, and /readyz reports the database.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  if (schema) {
    // Two instances creating the schema at once can still collide inside PostgreSQL.
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
    });
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrateToLatest(db as Kysely<unknown>, schema);
  return new KyselyStore(db, 'postgres');
}
