import { createHmac, timingSafeEqual } from 'node:crypto';
import type * as Jose from 'jose';
import { invisibleCharacterIn } from '../../protocol/index.js';

/** Longest lifetime a userToken may claim: a leaked token must not work for long. */
const MAX_TOKEN_LIFETIME_S = 24 * 60 * 60;
const CLOCK_LEEWAY_S = 60;

export type VerificationFailure =
  | 'malformed'
  | 'bad_signature'
  | 'wrong_audience'
  | 'expired'
  | 'not_yet_valid'
  | 'lifetime_too_long'
  | 'missing_claim'
  | 'subject_mismatch'
  | 'invalid_subject'
  | 'no_secret';

export type VerificationResult =
  | { verified: true; externalUserId: string; claims: Record<string, unknown> }
  | { verified: false; reason: VerificationFailure };

const encoder = new TextEncoder();

/**
 * Verifies a `userToken`: an HS256 JWT whose `sub` is the external user id and `aud` the project
 * id, with a required `exp` at most 24 h ahead. Every current secret is tried (rotation grace).
 */
export async function verifyUserToken(
  token: string,
  options: { projectId: string; secrets: string[]; now?: Date; externalUserId?: string },
): Promise<VerificationResult> {
  if (options.secrets.length === 0) return { verified: false, reason: 'no_secret' };
  // Loaded with the first token (~40 ms of module loading kept out of the cold start).
  const jose = await import('jose');
  const now = options.now ?? new Date();
  let lastFailure: VerificationFailure = 'bad_signature';
  for (const secret of options.secrets) {
    try {
      const { payload } = await jose.jwtVerify(token, encoder.encode(secret), {
        algorithms: ['HS256'],
        audience: options.projectId,
        clockTolerance: CLOCK_LEEWAY_S,
        requiredClaims: ['exp', 'sub'],
        currentDate: now,
      });
      const nowS = Math.floor(now.getTime() / 1000);
      // jose checks iat against the clock only with maxTokenAge, which would make iat required.
      if (payload.iat !== undefined && payload.iat > nowS + CLOCK_LEEWAY_S) {
        return { verified: false, reason: 'not_yet_valid' };
      }
      const exp = payload.exp ?? 0;
      if (exp - nowS > MAX_TOKEN_LIFETIME_S + CLOCK_LEEWAY_S) {
        return { verified: false, reason: 'lifetime_too_long' };
      }
      const sub = payload.sub ?? '';
      if (sub.length === 0 || sub.length > 256) return { verified: false, reason: 'missing_claim' };
      if (invisibleCharacterIn(sub)) return { verified: false, reason: 'invalid_subject' };
      if (options.externalUserId !== undefined && options.externalUserId !== sub) {
        return { verified: false, reason: 'subject_mismatch' };
      }
      return { verified: true, externalUserId: sub, claims: payload };
    } catch (error) {
      lastFailure = classify(error, jose.errors);
      // Only a bad signature may be fixed by another (older) secret.
      if (lastFailure !== 'bad_signature') return { verified: false, reason: lastFailure };
    }
  }
  return { verified: false, reason: lastFailure };
}

function classify(error: unknown, joseErrors: typeof Jose.errors): VerificationFailure {
  if (error instanceof joseErrors.JWTExpired) return 'expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'wrong_audience';
    if (error.claim === 'nbf' || error.claim === 'iat') return 'not_yet_valid';
    return 'missing_claim';
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad_signature';
  return 'malformed';
}

const HASH_HEX_LENGTH = 64;

/** Hex HMAC-SHA256 of the external user id under the secret: what sites send as `userHash`. */
export function userHashFor(externalUserId: string, secret: string): string {
  return createHmac('sha256', secret).update(externalUserId, 'utf8').digest('hex');
}

/**
 * Checks a `userHash` in constant time. Its shape is checked first (a string of 64 hex digits;
 * hex case does not matter: it encodes the same bytes) so malformed input never reaches the
 * comparison.
 */
export function verifyUserHash(
  externalUserId: string,
  userHash: unknown,
  secrets: string[],
): VerificationResult {
  if (secrets.length === 0) return { verified: false, reason: 'no_secret' };
  if (
    typeof userHash !== 'string' ||
    userHash.length !== HASH_HEX_LENGTH ||
    !/^[0-9a-fA-F]+$/.test(userHash)
  ) {
    return { verified: false, reason: 'malformed' };
  }
  const presented = Buffer.from(userHash, 'hex');
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(externalUserId, 'utf8').digest();
    if (timingSafeEqual(expected, presented)) return { verified: true, externalUserId, claims: {} };
  }
  return { verified: false, reason: 'bad_signature' };
}
