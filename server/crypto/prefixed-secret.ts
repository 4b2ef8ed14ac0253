import { randomBytes } from 'node:crypto';

const BODY_LENGTH = 48;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** How much of the body the console shows: enough to tell secrets apart, far too little to guess the rest. */
const VISIBLE = 4;

/**
 * A kind of secret Palaver hands out: a fixed prefix, so that secret scanners (GitHub's,
 * gitleaks…) recognise a leaked one and people can tell kinds apart, then 48 base62 characters.
 */
export interface PrefixedSecret {
  /** A new secret: 48 characters drawn uniformly from 62 (≈ 286 bits; ≈ 262 beyond the visible part). */
  make(): string;
  /** Whether `text` has this kind's shape (it says nothing about whether it exists). */
  matches(text: string): boolean;
  /** What the console shows of a secret, e.g. `palaver_3fA9`. */
  visible(secret: string): string;
}

export function prefixedSecret(prefix: string): PrefixedSecret {
  const shape = new RegExp(`^${prefix}[0-9A-Za-z]{${BODY_LENGTH}}$`);
  return {
    make: () => prefix + randomBase62(BODY_LENGTH),
    matches: (text) => shape.test(text),
    visible: (secret) => secret.slice(0, prefix.length + VISIBLE),
  };
}

/** Bytes of 248 and up are dropped so that no character is likelier than another. */
function randomBase62(length: number): string {
  let body = '';
  while (body.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte >= 248 || body.length === length) continue;
      body += ALPHABET[byte % 62];
    }
  }
  return body;
}
