import { describe, expect, it } from 'vitest';
import { parseProfileAnswer, ProfileValidationError } from './parse.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const parse = (body: unknown, type = JSON_TYPE) =>
  parseProfileAnswer(type, Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)));

function rejection(fn: () => unknown): ProfileValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProfileValidationError) return error;
    throw error;
  }
  throw new Error('expected a validation error');
}

describe("parsing a site endpoint's answer", () => {
  it('reads the standard shape and counts unknown top-level fields', () => {
    const parsed = parse({
      first_name: 'Alice',
      last_name: 'Martin',
      email: 'alice@acme.test',
      phone_number: '+33 1 23 45 67 89',
      avatar_url: 'https://cdn.acme.test/a.png',
      metadata: { plan: 'Pro', seats: 12, flags: { beta: true } },
      internal_score: 7,
      _links: {},
    });
    expect(parsed.shape).toBe('standard');
    expect(parsed.profile).toEqual({
      name: 'Alice Martin',
      firstName: 'Alice',
      lastName: 'Martin',
      email: 'alice@acme.test',
      phone: '+33 1 23 45 67 89',
      avatarUrl: 'https://cdn.acme.test/a.png',
      metadata: { plan: 'Pro', seats: 12, flags: { beta: true } },
    });
    expect(parsed.unknownFields).toEqual(['internal_score', '_links']);
  });

  it('detects and maps the data-sync shape', () => {
    const parsed = parse({
      status: 'ok',
      externalId: 'u_1',
      displayName: 'Bob Okafor',
      photoURL: 'https://cdn.acme.test/b.png',
      customData: { tier: 'gold' },
    });
    expect(parsed.shape).toBe('data_sync');
    expect(parsed.profile).toMatchObject({
      name: 'Bob Okafor',
      avatarUrl: 'https://cdn.acme.test/b.png',
      metadata: { tier: 'gold' },
    });
  });

  it('accepts an empty object and nulls as "not known"', () => {
    expect(parse({}).profile).toMatchObject({ name: null, email: null, metadata: {} });
    expect(parse({ first_name: null, metadata: null }).profile.name).toBeNull();
  });

  it('drops a non-https avatar with a warning instead of failing', () => {
    const parsed = parse({ avatar_url: 'javascript:alert(1)' });
    expect(parsed.profile.avatarUrl).toBeNull();
    expect(parsed.warnings).toHaveLength(1);
  });

  it('refuses a wrong content type, HTML, invalid JSON and non-objects', () => {
    expect(rejection(() => parse('<html></html>', 'text/html')).kind).toBe('bad_content_type');
    expect(rejection(() => parse('{"a":', JSON_TYPE)).kind).toBe('bad_json');
    expect(rejection(() => parse('', JSON_TYPE)).kind).toBe('bad_json');
    expect(rejection(() => parse([1, 2])).kind).toBe('invalid_profile');
    expect(rejection(() => parse('"text"')).kind).toBe('invalid_profile');
  });

  it('refuses __proto__ and constructor keys without polluting anything', () => {
    const error = rejection(() => parse('{"first_name":"x","__proto__":{"polluted":true}}'));
    expect(error.kind).toBe('bad_json');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(rejection(() => parse('{"metadata":{"constructor":{"prototype":{"x":1}}}}')).kind).toBe(
      'bad_json',
    );
  });

  it('names the fields of the wrong type, never their values', () => {
    const error = rejection(() =>
      parse({ first_name: 42, email: ['a'], metadata: 'secret-value' }),
    );
    expect(error.fields).toEqual(['first_name', 'email', 'metadata']);
    expect(error.message).not.toContain('secret-value');
  });

  it('enforces the limits: long names, many keys, deep nesting, long strings, big profiles', () => {
    expect(rejection(() => parse({ first_name: 'x'.repeat(201) })).fields).toEqual(['first_name']);
    const manyKeys = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]));
    expect(rejection(() => parse({ metadata: manyKeys })).message).toMatch(/more than 100 keys/);
    expect(rejection(() => parse({ metadata: { a: { b: { c: { d: 1 } } } } })).message).toMatch(
      /deeper/,
    );
    expect(parse({ metadata: { a: { b: { c: 1 } } } }).profile.metadata).toEqual({
      a: { b: { c: 1 } },
    });
    expect(rejection(() => parse({ metadata: { note: 'x'.repeat(2001) } })).message).toMatch(
      /2000/,
    );
    const big = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`k${i}`, 'x'.repeat(1900)]),
    );
    expect(rejection(() => parse({ metadata: big })).message).toMatch(/32 KiB/);
  });

  it('strips PII from metadata and reports only the keys', () => {
    const parsed = parse({ metadata: { plan: 'Pro', card_number: '4111111111111111' } });
    expect(parsed.profile.metadata).toEqual({ plan: 'Pro' });
    expect(parsed.droppedPii).toEqual([{ key: 'card_number', reason: 'sensitive_key' }]);
  });
});
