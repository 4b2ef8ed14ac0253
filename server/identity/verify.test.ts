import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { userHashFor, verifyUserHash, verifyUserToken } from './verify.js';

const SECRET = 'project-secret-current';
const OLD_SECRET = 'project-secret-previous';
const now = new Date('2026-06-01T12:00:00Z');
const nowS = Math.floor(now.getTime() / 1000);

function mint(
  claims: { sub?: string; aud?: string; exp?: number; nbf?: number; iat?: number },
  secret = SECRET,
): Promise<string> {
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(claims.iat ?? nowS);
  if (claims.sub !== undefined) jwt = jwt.setSubject(claims.sub);
  if (claims.aud !== undefined) jwt = jwt.setAudience(claims.aud);
  if (claims.exp !== undefined) jwt = jwt.setExpirationTime(claims.exp);
  if (claims.nbf !== undefined) jwt = jwt.setNotBefore(claims.nbf);
  return jwt.sign(new TextEncoder().encode(secret));
}

const verify = (token: string, secrets = [SECRET], externalUserId?: string) =>
  verifyUserToken(token, {
    projectId: 'demo',
    secrets,
    now,
    ...(externalUserId ? { externalUserId } : {}),
  });

describe('userToken (JWT) verification', () => {
  it('accepts a token for this project with sub and a near exp', async () => {
    const token = await mint({ sub: 'u_1', aud: 'demo', exp: nowS + 3600 });
    expect(await verify(token)).toMatchObject({ verified: true, externalUserId: 'u_1' });
  });

  it('rejects alg "none"', async () => {
    const token = new UnsecuredJWT({ sub: 'u_1', aud: 'demo', exp: nowS + 3600 }).encode();
    expect(await verify(token)).toMatchObject({ verified: false });
  });

  it('rejects a token for another project', async () => {
    const token = await mint({ sub: 'u_1', aud: 'other', exp: nowS + 3600 });
    expect(await verify(token)).toEqual({ verified: false, reason: 'wrong_audience' });
  });

  it('rejects an expired token, beyond the 60 s leeway only', async () => {
    expect(await verify(await mint({ sub: 'u', aud: 'demo', exp: nowS - 30 }))).toMatchObject({
      verified: true,
    });
    expect(await verify(await mint({ sub: 'u', aud: 'demo', exp: nowS - 120 }))).toEqual({
      verified: false,
      reason: 'expired',
    });
  });

  it('rejects a token that is not valid yet', async () => {
    const token = await mint({ sub: 'u', aud: 'demo', exp: nowS + 3600, nbf: nowS + 600 });
    expect(await verify(token)).toEqual({ verified: false, reason: 'not_yet_valid' });
  });

  it('rejects a token issued in the future beyond the 60 s leeway, with or without nbf', async () => {
    for (const nbf of [undefined, nowS]) {
      const claims = { sub: 'u', aud: 'demo', exp: nowS + 3 * 3600, ...(nbf ? { nbf } : {}) };
      expect(await verify(await mint({ ...claims, iat: nowS + 30 }))).toMatchObject({
        verified: true,
      });
      for (const ahead of [61, 120, 3600]) {
        expect(await verify(await mint({ ...claims, iat: nowS + ahead })), `iat +${ahead}`).toEqual(
          {
            verified: false,
            reason: 'not_yet_valid',
          },
        );
      }
    }
  });

  it('rejects a sub holding control, invisible or direction-changing characters', async () => {
    // (A lone surrogate cannot travel in a JWT: UTF-8 encoding turns it into U+FFFD.)
    for (const sub of [
      'admin\u202e1',
      '\u200badmin',
      'admin\ufeff',
      'a\u2028b',
      'a\ud800b',
      'a\nb',
    ]) {
      const token = await mint({ sub, aud: 'demo', exp: nowS + 60 });
      expect(await verify(token), JSON.stringify(sub)).toEqual({
        verified: false,
        reason: 'invalid_subject',
      });
    }
  });

  it('rejects a token without exp, or living longer than 24 hours', async () => {
    expect(await verify(await mint({ sub: 'u', aud: 'demo' }))).toEqual({
      verified: false,
      reason: 'missing_claim',
    });
    expect(await verify(await mint({ sub: 'u', aud: 'demo', exp: nowS + 25 * 3600 }))).toEqual({
      verified: false,
      reason: 'lifetime_too_long',
    });
  });

  it('rejects a token signed with a wrong secret', async () => {
    const token = await mint({ sub: 'u', aud: 'demo', exp: nowS + 60 }, 'guess');
    expect(await verify(token)).toEqual({ verified: false, reason: 'bad_signature' });
  });

  it('accepts a token signed with the previous secret during rotation, not after', async () => {
    const token = await mint({ sub: 'u', aud: 'demo', exp: nowS + 60 }, OLD_SECRET);
    expect(await verify(token, [SECRET, OLD_SECRET])).toMatchObject({ verified: true });
    expect(await verify(token, [SECRET])).toMatchObject({ verified: false });
  });

  it('rejects a token whose sub differs from the externalUserId passed alongside', async () => {
    const token = await mint({ sub: 'u_1', aud: 'demo', exp: nowS + 60 });
    expect(await verify(token, [SECRET], 'u_2')).toEqual({
      verified: false,
      reason: 'subject_mismatch',
    });
  });

  it('treats garbage as malformed', async () => {
    expect(await verify('not.a.jwt')).toEqual({ verified: false, reason: 'malformed' });
    expect(await verify('')).toEqual({ verified: false, reason: 'malformed' });
  });
});

describe('userHash (HMAC) verification', () => {
  const good = userHashFor('u_1', SECRET);

  it('accepts the hex HMAC-SHA256 of the id, in either hex case', () => {
    expect(verifyUserHash('u_1', good, [SECRET])).toEqual({
      verified: true,
      externalUserId: 'u_1',
      claims: {},
    });
    expect(verifyUserHash('u_1', good.toUpperCase(), [SECRET])).toMatchObject({ verified: true });
  });

  it('rejects empty, short, non-hex and non-string hashes before comparing', () => {
    for (const bad of ['', good.slice(0, 63), good.slice(0, 62) + 'zz', [good], 42, null]) {
      expect(verifyUserHash('u_1', bad, [SECRET])).toEqual({
        verified: false,
        reason: 'malformed',
      });
    }
  });

  it("rejects another user's hash and a hash under another secret", () => {
    expect(verifyUserHash('u_2', good, [SECRET])).toEqual({
      verified: false,
      reason: 'bad_signature',
    });
    expect(verifyUserHash('u_1', userHashFor('u_1', 'other'), [SECRET])).toMatchObject({
      verified: false,
    });
  });

  it('accepts the previous secret during rotation', () => {
    expect(
      verifyUserHash('u_1', userHashFor('u_1', OLD_SECRET), [SECRET, OLD_SECRET]),
    ).toMatchObject({ verified: true });
  });
});
