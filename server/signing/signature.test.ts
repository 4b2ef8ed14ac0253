import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from './signature.js';

const SECRET = 'palsig_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkl';
const OLD_SECRET = 'palsig_zyxwvutsrqponmlkjihgfedcbaZYXWVUTSRQPONMLKJIHGFEDCBA9876543210ab';
const BODY = '{"type":"conversation.created","id":"evt_1"}';
const AT = new Date('2026-01-01T00:00:00.000Z');
const T = 1767225600;

/** The documented formula, written out here rather than taken from the implementation. */
const hmacHex = (secret: string, payload: string | Buffer) =>
  createHmac('sha256', secret).update(payload).digest('hex');

const seconds = (s: number) => new Date(AT.getTime() + s * 1000);

describe('signing a request', () => {
  it('writes t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">', () => {
    const expected = hmacHex(SECRET, `${T}.${BODY}`);
    expect(signatureHeader([SECRET], BODY, AT)).toBe(`t=${T},v1=${expected}`);
    // Worked out independently (Python's hmac module), so that a change of the scheme is seen.
    expect(expected).toBe('23314368bb48ffa7fe911c2120905b3effbec8ea6c206866bdedc54f99848e57');
  });

  it('signs the exact bytes: a string as UTF-8, and the same bytes as a Buffer give the same header', () => {
    const body = '{"text":"Grüße, 你好 👋"}';
    const header = signatureHeader([SECRET], body, AT);
    expect(header).toBe(`t=${T},v1=${hmacHex(SECRET, Buffer.from(`${T}.${body}`, 'utf8'))}`);
    expect(signatureHeader([SECRET], Buffer.from(body, 'utf8'), AT)).toBe(header);
  });

  it('counts whole seconds, dropping the milliseconds', () => {
    expect(signatureHeader([SECRET], BODY, new Date(AT.getTime() + 999))).toMatch(/^t=1767225600,/);
  });

  it('carries one v1 per secret, newest first, during a rotation', () => {
    expect(signatureHeader([SECRET, OLD_SECRET], BODY, AT)).toBe(
      `t=${T},v1=${hmacHex(SECRET, `${T}.${BODY}`)},v1=${hmacHex(OLD_SECRET, `${T}.${BODY}`)}`,
    );
  });

  it('refuses to sign without a secret', () => {
    expect(() => signatureHeader([], BODY, AT)).toThrow(RangeError);
  });
});

describe('verifying a signature', () => {
  const header = signatureHeader([SECRET], BODY, AT);

  it('accepts a genuine header, and says when it was signed', () => {
    expect(verifySignature(header, BODY, SECRET, { now: AT })).toEqual({ ok: true, timestamp: T });
    expect(verifySignature(header, Buffer.from(BODY), SECRET, { now: AT }).ok).toBe(true);
  });

  it('accepts a header written by hand from the formula', () => {
    const byHand = `t=${T},v1=${hmacHex(SECRET, `${T}.${BODY}`)}`;
    expect(verifySignature(byHand, BODY, SECRET, { now: AT }).ok).toBe(true);
  });

  it('verifies with the new secret and with the old one while both are signed with', () => {
    const rotating = signatureHeader([SECRET, OLD_SECRET], BODY, AT);
    expect(verifySignature(rotating, BODY, SECRET, { now: AT }).ok).toBe(true);
    expect(verifySignature(rotating, BODY, OLD_SECRET, { now: AT }).ok).toBe(true);
    expect(verifySignature(header, BODY, OLD_SECRET, { now: AT })).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('refuses a body changed by even one byte, or re-serialised', () => {
    for (const body of [
      BODY.replace('evt_1', 'evt_2'),
      `${BODY} `,
      BODY.slice(0, -1),
      JSON.stringify(JSON.parse(BODY), null, 2),
      '',
    ]) {
      expect(verifySignature(header, body, SECRET, { now: AT })).toMatchObject({
        ok: false,
        reason: 'mismatch',
      });
    }
  });

  it('refuses another secret, and a t= moved to fit another time', () => {
    const other = 'palsig_' + 'A'.repeat(48);
    expect(verifySignature(header, BODY, other, { now: AT })).toMatchObject({ reason: 'mismatch' });
    const moved = header.replace(`t=${T}`, `t=${T + 60}`);
    expect(verifySignature(moved, BODY, SECRET, { now: AT })).toMatchObject({ reason: 'mismatch' });
  });

  it('takes the time from t= within the tolerance either way, and refuses beyond it', () => {
    const at = (s: number) => verifySignature(header, BODY, SECRET, { now: seconds(s) });
    expect(at(300).ok).toBe(true);
    expect(at(-300).ok).toBe(true);
    expect(at(301)).toMatchObject({ ok: false, reason: 'stale' });
    expect(at(3600)).toMatchObject({ ok: false, reason: 'stale' });
    expect(at(-301)).toMatchObject({ ok: false, reason: 'future' });
    const strict = { now: seconds(11), toleranceSeconds: 10 };
    expect(verifySignature(header, BODY, SECRET, strict)).toMatchObject({ reason: 'stale' });
  });

  it('checks the signature before the time: an old forged header is a mismatch, not stale', () => {
    const forged = `t=${T},v1=${'0'.repeat(64)}`;
    expect(verifySignature(forged, BODY, SECRET, { now: seconds(3600) })).toMatchObject({
      reason: 'mismatch',
    });
  });

  it('says the header is missing when there is none', () => {
    for (const missing of [undefined, null, '', '   ']) {
      expect(verifySignature(missing, BODY, SECRET, { now: AT })).toMatchObject({
        ok: false,
        reason: 'missing',
      });
    }
  });

  const digest = hmacHex(SECRET, `${T}.${BODY}`);
  it.each([
    ['no t=', `v1=${digest}`],
    ['no v1=', `t=${T}`],
    ['only another scheme', `t=${T},v0=${digest}`],
    ['t= twice', `t=${T},t=${T},v1=${digest}`],
    ['t= empty', `t=,v1=${digest}`],
    ['t= negative', `t=-${T},v1=${digest}`],
    ['t= with a fraction', `t=${T}.5,v1=${digest}`],
    ['t= in milliseconds beyond 15 digits', `t=${T}0000000,v1=${digest}`],
    ['t= not a number', `t=yesterday,v1=${digest}`],
    ['v1= too short', `t=${T},v1=${digest.slice(0, 63)}`],
    ['v1= too long', `t=${T},v1=${digest}0`],
    ['v1= not hexadecimal', `t=${T},v1=${'g'.repeat(64)}`],
    ['v1= base64 instead of hex', `t=${T},v1=${Buffer.from(digest, 'hex').toString('base64')}`],
    ['v1= empty', `t=${T},v1=`],
    ['a bare word', `t=${T},v1=${digest},garbage`],
    ['an empty part', `t=${T},,v1=${digest}`],
    ['a trailing comma', `t=${T},v1=${digest},`],
    ['semicolons for commas', `t=${T};v1=${digest}`],
    ['a key without a name', `=${T},v1=${digest}`],
    ['the keys in capitals', `T=${T},V1=${digest}`],
    ['a Bearer scheme', `Bearer ${digest}`],
  ])('calls a header with %s malformed', (_case, malformed) => {
    const check = verifySignature(malformed, BODY, SECRET, { now: AT });
    expect(check).toMatchObject({ ok: false, reason: 'malformed' });
    expect(check.ok ? '' : check.message).toMatch(/^The Palaver-Signature header is malformed: /);
  });

  it('reads spaces around the parts, upper-case hex, and schemes it does not know', () => {
    const variants = [
      `t=${T}, v1=${digest}`,
      ` t=${T} ,v1=${digest} `,
      `t=${T},v1=${digest.toUpperCase()}`,
      `v1=${digest},t=${T}`,
      `t=${T},v0=abc,v1=${digest},v2=${'f'.repeat(128)}`,
    ];
    for (const variant of variants) {
      expect(verifySignature(variant, BODY, SECRET, { now: AT }).ok).toBe(true);
    }
  });

  it('finds the matching v1 among many, wherever it stands', () => {
    const others = Array.from({ length: 50 }, (_, i) =>
      hmacHex(`palsig_other_${i}`, `${T}.${BODY}`),
    );
    for (const position of [0, 25, 50]) {
      const list = [...others];
      list.splice(position, 0, digest);
      const many = [`t=${T}`, ...list.map((d) => `v1=${d}`)].join(',');
      expect(verifySignature(many, BODY, SECRET, { now: AT }).ok).toBe(true);
    }
    const none = [`t=${T}`, ...others.map((d) => `v1=${d}`)].join(',');
    expect(verifySignature(none, BODY, SECRET, { now: AT })).toMatchObject({ reason: 'mismatch' });
  });
});
