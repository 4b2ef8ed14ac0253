import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Palaver's request signature, both sides: `t=<unix seconds>,v1=<hex HMAC-SHA256>` where the
 * HMAC's key is the whole signing secret (`palsig_…`, as UTF-8) and its message is `<t>.` followed
 * by the body's exact bytes. During a rotation the header carries one `v1=` per active secret,
 * newest first, so a receiver holding either one verifies.
 *
 * Nothing here depends on the rest of the server: the demo's site verifies with it as any site would.
 */

/** The signature scheme this module writes and reads; others (`v0=`, a future `v2=`) are ignored. */
const SCHEME = 'v1';
/** How far a receiver lets `t` stray from its clock, either way, unless told otherwise. */
const DEFAULT_TOLERANCE_SECONDS = 300;

const DIGITS = /^[0-9]{1,15}$/;
const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;

/** A request body as it goes on the wire: a string is signed as its UTF-8 bytes. */
export type SignedBody = string | Uint8Array;

function digest(secret: string, timestamp: number, body: SignedBody): Buffer {
  return createHmac('sha256', secret)
    .update(`${timestamp}.`)
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest();
}

const unixSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

/**
 * The `Palaver-Signature` value for `body` sent at `at`, signed with every secret in `secrets`
 * (newest first). Throws a RangeError without a secret: an unsigned call must never go out.
 * Senders with a project at hand call `SigningService.sign`, which passes its active secrets.
 */
export function signatureHeader(secrets: readonly string[], body: SignedBody, at: Date): string {
  if (secrets.length === 0) throw new RangeError('A signature needs at least one secret');
  const t = unixSeconds(at);
  const signatures = secrets.map(
    (secret) => `${SCHEME}=${digest(secret, t, body).toString('hex')}`,
  );
  return [`t=${t}`, ...signatures].join(',');
}

/** Why a signature was refused. */
export type SignatureFailure =
  /** No header at all, or an empty one. */
  | 'missing'
  /** Not `t=<digits>,v1=<64 hex>[,v1=…]`. */
  | 'malformed'
  /** Genuine, but signed longer ago than the tolerance: a replay, or a clock far behind. */
  | 'stale'
  /** Genuine, but signed further ahead than the tolerance: a clock far ahead. */
  | 'future'
  /** No `v1=` matches this body under this secret. */
  | 'mismatch';

export type SignatureCheck =
  { ok: true; timestamp: number } | { ok: false; reason: SignatureFailure; message: string };

export interface VerifyOptions {
  /** The receiver's clock; now by default. */
  now?: Date;
  /** How far `t` may be from `now`, either way; 300 s by default. */
  toleranceSeconds?: number;
}

interface ParsedHeader {
  timestamp: number;
  signatures: Buffer[];
}

/** The header's parts, or why it has none that could verify. */
function parse(header: string): ParsedHeader | string {
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const item of header.split(',')) {
    const part = item.trim();
    const equals = part.indexOf('=');
    if (equals <= 0) return `"${part.slice(0, 20)}" is not a key=value pair`;
    const key = part.slice(0, equals);
    const value = part.slice(equals + 1);
    if (key === 't') {
      if (timestamp !== null) return 't= appears twice';
      if (!DIGITS.test(value)) return 't= must be a whole number of seconds since 1970';
      timestamp = Number(value);
    } else if (key === SCHEME) {
      if (!HEX_DIGEST.test(value)) return 'each v1= must be 64 hexadecimal characters';
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestamp === null) return 'there is no t=';
  if (signatures.length === 0) return 'there is no v1=';
  return { timestamp, signatures };
}

const refused = (reason: SignatureFailure, message: string): SignatureCheck => ({
  ok: false,
  reason,
  message,
});

/**
 * Checks a `Palaver-Signature` header against the request's raw body (the exact bytes received,
 * before any JSON parsing) and the receiver's signing secret. The signature is checked before the
 * time, so `stale` and `future` mean a genuine request outside the tolerance (a replay, or a
 * clock that is off) rather than anybody's guess.
 */
export function verifySignature(
  header: string | null | undefined,
  body: SignedBody,
  secret: string,
  options: VerifyOptions = {},
): SignatureCheck {
  const { now = new Date(), toleranceSeconds = DEFAULT_TOLERANCE_SECONDS } = options;
  if (header === null || header === undefined || header.trim() === '') {
    return refused('missing', 'The request has no Palaver-Signature header');
  }
  const parsed = parse(header);
  if (typeof parsed === 'string') {
    return refused('malformed', `The Palaver-Signature header is malformed: ${parsed}`);
  }
  const expected = digest(secret, parsed.timestamp, body);
  // Every entry is compared, in constant time each: how many matched, or where, tells nothing.
  let matched = false;
  for (const signature of parsed.signatures) {
    if (signature.length === expected.length && timingSafeEqual(signature, expected)) {
      matched = true;
    }
  }
  if (!matched) {
    return refused(
      'mismatch',
      'No signature matches: the body was changed on the way (verify the raw bytes, before parsing), or the secret is not this project’s current signing secret',
    );
  }
  const drift = parsed.timestamp - unixSeconds(now);
  if (drift < -toleranceSeconds) {
    return refused(
      'stale',
      `The request was signed ${-drift} s ago, more than the ${toleranceSeconds} s allowed: a replay, or this server's clock is wrong`,
    );
  }
  if (drift > toleranceSeconds) {
    return refused(
      'future',
      `The request was signed ${drift} s ahead of this server's clock, more than the ${toleranceSeconds} s allowed: check the clock`,
    );
  }
  return { ok: true, timestamp: parsed.timestamp };
}
