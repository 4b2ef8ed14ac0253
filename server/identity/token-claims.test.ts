import { describe, expect, it } from 'vitest';
import { profileClaims } from './token-claims.js';

const jwtClaims = { sub: 'u-1', aud: 'acme', exp: 1, iat: 0 };

describe('profile claims of a userToken', () => {
  it('are none when the token carries only the JWT claims', () => {
    expect(profileClaims(jwtClaims)).toEqual({ ok: true, input: null });
  });

  it('become a contact write: traits are the properties', () => {
    const claims = profileClaims({
      ...jwtClaims,
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+14155550123',
      traits: { plan: 'gold' },
      role: 'ignored: not a profile claim',
    });
    expect(claims).toEqual({
      ok: true,
      input: {
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        phone: '+14155550123',
        properties: { plan: 'gold' },
      },
    });
  });

  it.each([
    [{ email: 'not-an-email' }, '"email"'],
    [{ phone: '555-0123' }, '"phone"'],
    [{ traits: 'gold' }, '"traits"'],
    [{ name: 42 }, '"name"'],
  ])('are refused with the claim named when one is invalid (%o)', (bad, named) => {
    const claims = profileClaims({ ...jwtClaims, ...bad });
    expect(claims.ok).toBe(false);
    expect(!claims.ok && claims.problem).toContain(named);
  });
});
