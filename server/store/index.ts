import { openSqliteStore } from './sqlite.js';
import type { Store } from './port.js';

export type * from './port.js';
export type * from './identity-store.js';
export { LOG_RETENTION } from './identity-store.js';
export { openSqliteStore } from './sqlite.js';

export class UnsupportedDatabaseError extends Error {
  override name = 'UnsupportedDatabaseError';
}

/** Opens the store named by `DATABASE_URL`: `sqlite:<file>` (or a bare path). */
export async function openStore(databaseUrl: string): Promise<Store> {
  if (databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://')) {
    throw new UnsupportedDatabaseError(
      'PostgreSQL storage is not available in this build yet; use a sqlite: DATABASE_URL',
    );
  }
  const file = databaseUrl.startsWith('sqlite:')
    ? databaseUrl.slice('sqlite:'.length)
    : databaseUrl;
  return openSqliteStore(file);
}
