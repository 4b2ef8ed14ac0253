import type { ContactInput, IdentityStatus, StartSessionRequest } from '../../protocol/index.js';
import type { ResolvedIntegration } from './integration.js';
import { profileClaims } from './token-claims.js';
import { verifyUserHash, verifyUserToken, type VerificationFailure } from './verify.js';

/** Who the browser says it is, after checking the proof. */
export interface AcceptedIdentity {
  externalUserId: string | null;
  identity: IdentityStatus;
  /** Why a passed identity was not accepted as given; shown in the site's console. */
  notice: string | null;
  /** Profile values the verified userToken carries (applied like a push, source "token"). */
  claims: ContactInput | null;
}

const FAILURE_TEXT: Record<VerificationFailure, string> = {
  malformed: 'the userToken/userHash is malformed',
  bad_signature: "its signature does not match the project's identity secret",
  wrong_audience: 'the userToken "aud" is not this project id',
  expired: 'the userToken has expired',
  not_yet_valid: 'the userToken is not valid yet (check the server clock)',
  lifetime_too_long: 'the userToken lives longer than 24 hours',
  missing_claim: 'the userToken lacks "sub" or "exp"',
  subject_mismatch: 'the userToken "sub" differs from externalUserId',
  invalid_subject: 'the userToken "sub" holds a control, invisible or direction-changing character',
  no_secret: 'the project has no identity secret',
};

/**
 * Checks `userToken`/`userHash` against the project's identity secrets and applies its policy
 * (verified only, or claims allowed). `integration` is asked for only when an identity is passed,
 * so that anonymous sessions read no settings.
 */
export async function acceptIdentity(
  input: StartSessionRequest,
  integration: () => Promise<ResolvedIntegration>,
): Promise<AcceptedIdentity> {
  const claimed = input.externalUserId ?? null;
  if (!claimed && !input.userToken) {
    return {
      externalUserId: null,
      identity: 'anonymous',
      claims: null,
      // A hash proves nothing without the id it signs; say so rather than drop it silently.
      notice: input.userHash
        ? 'The visitor chats anonymously because userHash came without externalUserId: pass both.'
        : null,
    };
  }
  const { projectId, secrets, requireVerified } = await integration();
  let failure: VerificationFailure | null = null;
  if (input.userToken) {
    const result = await verifyUserToken(input.userToken, {
      projectId,
      secrets,
      ...(claimed ? { externalUserId: claimed } : {}),
    });
    if (result.verified) {
      const claims = profileClaims(result.claims);
      return {
        externalUserId: result.externalUserId,
        identity: 'verified',
        claims: claims.ok ? claims.input : null,
        notice: claims.ok ? null : `The profile claims were ignored: ${claims.problem}.`,
      };
    }
    failure = result.reason;
  } else if (input.userHash && claimed) {
    const result = verifyUserHash(claimed, input.userHash, secrets);
    if (result.verified) {
      return { externalUserId: claimed, identity: 'verified', claims: null, notice: null };
    }
    failure = result.reason;
  }
  const why = failure
    ? `it is not verified: ${FAILURE_TEXT[failure]}`
    : 'it came without a userToken or userHash';
  if (!claimed || requireVerified) {
    return {
      externalUserId: null,
      identity: 'anonymous',
      claims: null,
      notice: `The visitor chats anonymously because ${claimed ? `externalUserId "${claimed}"` : 'the userToken'} was ignored: ${why}. This project requires verified identities (Settings → API Integration).`,
    };
  }
  return {
    externalUserId: claimed,
    identity: 'claimed',
    claims: null,
    notice: `externalUserId "${claimed}" is accepted as a claim only (agents see it marked unverified): ${why}.`,
  };
}
