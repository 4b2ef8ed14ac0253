import { openPostgresStore } from './postgres.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './port.js';

export type * from './port.js';
export type * from './identity-store.js';
export { LOG_RETENTION } from './identity-store.js';
export { openSqliteStore } from './sqlite.js';
export { openPostgresStore } from './postgres.js';

/** Opens the store named by `DATABASE_URL`: `postgres://…`, or `sqlite:<file>` (or a bare path). */
export async function openStore(databaseUrl: string): Promise<Store> {
  if (databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://')) {
    return openPostgresStore(databaseUrl);
  }
  const file = databaseUrl.startsWith('sqlite:')
    ? databaseUrl.slice('sqlite:'.length)
    : databaseUrl;
  return openSqliteStore(file);
}
