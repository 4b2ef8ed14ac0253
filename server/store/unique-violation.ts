import { DuplicateError, type DuplicateEntity } from './duplicate.js';

/** True when a driver error is a unique-constraint violation (SQLite or PostgreSQL), by code. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = error.code;
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === '23505'
  );
}

/**
 * Runs an insert whose only unique key a caller can collide on is `field`; a unique violation
 * becomes a DuplicateError.
 */
export async function insertUnique<T>(
  entity: DuplicateEntity,
  field: string,
  insert: () => Promise<T>,
): Promise<T> {
  try {
    return await insert();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateError(entity, field, error);
    throw error;
  }
}
