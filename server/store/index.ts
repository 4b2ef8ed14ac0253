import { openSqliteStore } from './sqlite.js';
import type { KyselyStore } from './kysely-store.js';
import type { PostgresOptions } from './postgres.js';
import type { Store } from './port.js';

export type * from './port.js';
export type { PostgresOptions } from './postgres.js';
export { blankContact, emptyProfile } from './contact-blank.js';
export { DuplicateError } from './duplicate.js';
export { openSqliteStore } from './sqlite.js';
export { DEFAULT_DATABASE_TIMEOUT_MS, StoreUnavailableError } from './unavailable.js';

/**
 * The PostgreSQL adapter, loaded on first use: a SQLite deployment never needs `pg`, and loading
 * it took ~60 ms of a ~700 ms cold start (bench/cold-start.ts).
 */
export async function openPostgresStore(
  connectionString: string,
  options: PostgresOptions = {},
): Promise<KyselyStore> {
  const postgres = await import('./postgres.js');
  return postgres.openPostgresStore(connectionString, options);
}

/**
 * Opens the store named by `DATABASE_URL`: `postgres://…`, or `sqlite:<file>` (or a bare path).
 * `timeoutMs` bounds PostgreSQL's queries and new connections.
 */
export async function openStore(
  databaseUrl: string,
  options: { timeoutMs?: number } = {},
): Promise<Store> {
  if (databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://')) {
    return openPostgresStore(databaseUrl, options);
  }
  const file = databaseUrl.startsWith('sqlite:')
    ? databaseUrl.slice('sqlite:'.length)
    : databaseUrl;
  return openSqliteStore(file);
}
