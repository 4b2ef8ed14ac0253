import { createHash, randomBytes } from 'node:crypto';

/** Random opaque id with a readable prefix, e.g. `conv_3kq9…`. 120 bits of entropy. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(15).toString('base64url')}`;
}

/** Random bearer secret (visitor tokens, agent session ids). 256 bits. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Bearer secrets are stored only as this hash so that a database leak leaks no live token. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}
