import { randomBytes } from 'node:crypto';

/**
 * Every key starts with this, so that secret scanners (GitHub's, gitleaks…) can recognise a
 * leaked one: `palaver_` and 48 base62 characters.
 */
export const KEY_PREFIX = 'palaver_';
const BODY_LENGTH = 48;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_SHAPE = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${BODY_LENGTH}}$`);
/** How much of the body the console shows: enough to tell keys apart, far too little to guess the rest. */
const VISIBLE = 4;

/**
 * A new key: 48 characters drawn uniformly from 62 (≈ 286 bits; ≈ 262 beyond the visible
 * prefix). Bytes of 248 and up are dropped so that no character is likelier than another.
 */
export function newKeySecret(): string {
  let body = '';
  while (body.length < BODY_LENGTH) {
    for (const byte of randomBytes(BODY_LENGTH)) {
      if (byte >= 248 || body.length === BODY_LENGTH) continue;
      body += ALPHABET[byte % 62];
    }
  }
  return KEY_PREFIX + body;
}

export function isKeyShaped(text: string): boolean {
  return KEY_SHAPE.test(text);
}

/** What the console shows of a key, e.g. `palaver_3fA9`. */
export function visiblePrefix(secret: string): string {
  return secret.slice(0, KEY_PREFIX.length + VISIBLE);
}
