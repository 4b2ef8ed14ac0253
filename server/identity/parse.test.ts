import { describe, expect, it } from 'vitest';
import { parseProfileAnswer, ProfileValidationError } from './parse.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const parse = (body: unknown, type = JSON_TYPE) =>
  parseProfileAnswer(
    type,
    Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    'u_1',
  );

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

  it('drops __proto__, constructor and prototype keys anywhere, keeps the profile, and lists their paths', () => {
    const parsed = parse(
      '{"first_name":"Mallory","__proto__":{"polluted":"yes"},' +
        '"metadata":{"plan":"Pro","constructor":{"prototype":{"polluted":"yes"}},' +
        '"nested":{"prototype":1,"ok":1},"list":[{"__proto__":{"polluted":"yes"}}]},' +
        '"extra":{"constructor":"x"}}',
    );
    expect(parsed.profile).toMatchObject({
      name: 'Mallory',
      metadata: { plan: 'Pro', nested: { ok: 1 }, list: [{}] },
    });
    expect(parsed.droppedPii).toEqual([
      { key: '__proto__', reason: 'dangerous_key' },
      { key: 'metadata.constructor', reason: 'dangerous_key' },
      { key: 'metadata.nested.prototype', reason: 'dangerous_key' },
      { key: 'metadata.list[0].__proto__', reason: 'dangerous_key' },
      { key: 'extra.constructor', reason: 'dangerous_key' },
    ]);
    const metadata = parsed.profile.metadata;
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Object.hasOwn(metadata, 'constructor')).toBe(false);
    expect(JSON.stringify(parsed.profile)).not.toContain('polluted');
    expect(parsed.unknownFields).toEqual(['extra']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('drops a constructor key from data-sync customData too, with the rest of the profile', () => {
    const parsed = parse({
      status: 'ok',
      displayName: 'Bob',
      customData: { constructor: 'Acme Builders', tier: 'gold' },
    });
    expect(parsed.profile).toMatchObject({ name: 'Bob', metadata: { tier: 'gold' } });
    expect(parsed.droppedPii).toEqual([{ key: 'customData.constructor', reason: 'dangerous_key' }]);
  });

  it('lists at most 20 dropped dangerous keys, and says how many there were', () => {
    const items = Array.from({ length: 500 }, () => '{"__proto__":{"polluted":1}}').join(',');
    const parsed = parse(`{"first_name":"Many","extra":[${items}]}`);
    expect(parsed.profile.name).toBe('Many');
    expect(parsed.droppedPii).toHaveLength(20);
    expect(parsed.droppedPii[0]).toEqual({ key: 'extra[0].__proto__', reason: 'dangerous_key' });
    expect(parsed.warnings.join(' ')).toMatch(/500 __proto__, constructor or prototype keys/);
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
    expect(rejection(() => parse({ metadata: manyKeys })).message).toMatch(
      /metadata must have at most 100 keys/,
    );
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

  it('refuses metadata past the limits pushed properties meet, naming each path, never a value', () => {
    const error = rejection(() =>
      parse(
        '{"metadata":{"ok":1,"huge":1e400,"list":["short","' +
          'x'.repeat(2001) +
          '"],"a":{"b":{"c":{"d":"secret-value"}}}}}',
      ),
    );
    expect(error.kind).toBe('invalid_profile');
    expect(error.fields).toEqual(['metadata.huge', 'metadata.list[1]', 'metadata.a.b.c']);
    expect(error.message).toBe(
      'Invalid metadata: metadata.huge must be a finite number; ' +
        'metadata.list[1] must be at most 2000 characters; ' +
        'metadata.a.b.c must not nest deeper than 3 levels',
    );
  });

  it('strips PII from metadata and reports only the keys', () => {
    const parsed = parse({ metadata: { plan: 'Pro', card_number: '4111111111111111' } });
    expect(parsed.profile.metadata).toEqual({ plan: 'Pro' });
    expect(parsed.droppedPii).toEqual([{ key: 'card_number', reason: 'sensitive_key' }]);
  });
});
