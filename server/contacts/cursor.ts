import { decodeCursor, encodeCursor } from '../cursor.js';

interface Position {
  updatedAt: string;
  externalUserId: string;
}

export function encodeContactCursor(position: Position): string {
  return encodeCursor(position.updatedAt, position.externalUserId);
}

export function decodeContactCursor(cursor: string): Position {
  const [updatedAt, externalUserId] = decodeCursor(
    cursor,
    'The cursor is not one this API gave out: pass nextCursor as it came',
  );
  return { updatedAt, externalUserId };
}
