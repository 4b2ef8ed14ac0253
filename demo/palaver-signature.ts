import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Acme's check of the `Palaver-Signature` header, written as a site would write it with Node's
 * crypto only (the README's "Verifying Palaver's signatures" shows the same code): it imports
 * nothing of Palaver's, so the demo proves the documented recipe rather than the server's own.
 */

const TOLERANCE_SECONDS = 5 * 60;

export type SignatureVerdict = { ok: true } | { ok: false; why: string };

/**
 * Whether `header` signs `rawBody` (the bytes as received, before any JSON parsing) under
 * `secret`, within 5 minutes of `now`; when not, why, for Acme's log of rejected requests.
 */
export function verifyPalaverSignature(
  header: string | undefined,
  rawBody: Buffer,
  secret: string,
  now = Date.now(),
): SignatureVerdict {
  if (!header) return { ok: false, why: 'no Palaver-Signature header' };
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const [key, value = ''] = part.trim().split('=');
    if (key === 't' && /^\d{1,15}$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === null || signatures.length === 0) {
    return { ok: false, why: 'malformed Palaver-Signature header (no t= or no v1=)' };
  }
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  // Any v1 may match: during a rotation Palaver signs with the new and the previous secret.
  if (!signatures.some((signature) => timingSafeEqual(signature, expected))) {
    return { ok: false, why: 'signature does not match the body and Acme’s signing secret' };
  }
  const drift = Math.floor(now / 1000) - timestamp;
  if (Math.abs(drift) > TOLERANCE_SECONDS) {
    return { ok: false, why: `signed ${drift} s from Acme’s clock, more than 300 s allowed` };
  }
  return { ok: true };
}
