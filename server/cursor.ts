import { AppError } from './errors.js';

/**
 * Keyset cursors of the paged lists (inbox, contacts): the sort key and the id of the last row,
 * opaque to clients.
 */
export function encodeCursor(sortKey: string, id: string): string {
  return Buffer.from(JSON.stringify([sortKey, id])).toString('base64url');
}

/** The pair `encodeCursor` wrote; a 400 saying `refusal` for anything else. */
export function decodeCursor(cursor: string, refusal: string): [sortKey: string, id: string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // answered below
  }
  throw new AppError('bad_request', 400, refusal);
}
