import { describe, expect, it } from 'vitest';
import { signatureHeader } from '../server/signing/index.js';
import { verifyPalaverSignature } from './palaver-signature.js';

/** Acme's verifier against the header Palaver's own signer writes. */
describe('Acme’s check of Palaver’s signature', () => {
  const secret = 'palsig_' + 'a'.repeat(48);
  const body = Buffer.from('{"id":"evt_1","type":"message.created"}');
  const at = new Date('2026-12-02T12:00:00Z');
  const now = at.getTime();

  it('accepts the body Palaver signed, with the secret Acme holds', () => {
    expect(verifyPalaverSignature(signatureHeader([secret], body, at), body, secret, now)).toEqual({
      ok: true,
    });
  });

  it('refuses a body changed on the way, even by one byte', () => {
    const header = signatureHeader([secret], body, at);
    const tampered = Buffer.from(body.toString().replace('message', 'massage'));
    expect(verifyPalaverSignature(header, tampered, secret, now)).toMatchObject({
      ok: false,
      why: expect.stringContaining('does not match'),
    });
  });

  it('refuses a signature made with another secret', () => {
    const header = signatureHeader(['palsig_' + 'b'.repeat(48)], body, at);
    expect(verifyPalaverSignature(header, body, secret, now).ok).toBe(false);
  });

  it('refuses a genuine signature more than 5 minutes old or ahead', () => {
    const header = signatureHeader([secret], body, at);
    expect(verifyPalaverSignature(header, body, secret, now + 300_000).ok).toBe(true);
    expect(verifyPalaverSignature(header, body, secret, now + 301_000)).toEqual({
      ok: false,
      why: 'signed 301 s from Acme’s clock, more than 300 s allowed',
    });
    expect(verifyPalaverSignature(header, body, secret, now - 301_000).ok).toBe(false);
  });

  it('refuses a request without the header, or with one that is not a signature', () => {
    expect(verifyPalaverSignature(undefined, body, secret, now)).toEqual({
      ok: false,
      why: 'no Palaver-Signature header',
    });
    for (const header of ['', 't=1', 'v1=abc', `t=x,v1=${'0'.repeat(64)}`]) {
      expect(verifyPalaverSignature(header, body, secret, now).ok).toBe(false);
    }
  });

  it('accepts either secret during a rotation, and ignores other schemes', () => {
    const previous = 'palsig_' + 'c'.repeat(48);
    const header = signatureHeader([secret, previous], body, at);
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifyPalaverSignature(header, body, secret, now).ok).toBe(true);
    expect(verifyPalaverSignature(header, body, previous, now).ok).toBe(true);
    expect(verifyPalaverSignature(`${header},v0=zz,v2=abc`, body, previous, now).ok).toBe(true);
  });
});
