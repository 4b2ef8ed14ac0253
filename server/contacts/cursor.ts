import { badRequest } from '../errors.js';

interface Position {
  updatedAt: string;
  externalUserId: string;
}

/** Opaque to clients: where the next page starts. */
export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.updatedAt, position.externalUserId])).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string): Position {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    ) {
      return { updatedAt: value[0], externalUserId: value[1] };
    }
  } catch {
    // answered below
  }
  throw badRequest('The cursor is not one this API gave out: pass nextCursor as it came');
}
