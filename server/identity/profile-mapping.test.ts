import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING, IntegrationMapping, type MappedFields } from '../../protocol/index.js';
import { parseProfileAnswer, ProfileValidationError } from './parse.js';

const NESTED = {
  data: {
    attributes: {
      firstName: 'Ada',
      lastName: 'L',
      emails: [{ email: 'ada@example.com' }],
      plan: { name: 'Pro', seats: 3 },
      card: '4111 1111 1111 1111',
    },
    id: 'u-1',
  },
  meta: { requestId: 'r-9' },
  links: { self: 'https://api.example.com/users/u-1' },
};

const custom = (
  fields: MappedFields,
  more: Partial<Pick<IntegrationMapping, 'properties' | 'includeRemaining'>> = {},
): IntegrationMapping => ({
  preset: 'custom',
  fields,
  properties: more.properties ?? [],
  includeRemaining: more.includeRemaining ?? false,
});

const NESTED_MAPPING = custom(
  {
    externalId: '/data/id',
    firstName: '/data/attributes/firstName',
    lastName: 'data.attributes.lastName',
    email: 'data.attributes.emails[0].email',
  },
  { properties: [{ path: 'data.attributes.plan', property: 'plan' }] },
);

const parse = (body: unknown, mapping: IntegrationMapping, id = 'u-1') =>
  parseProfileAnswer('application/json', Buffer.from(JSON.stringify(body)), id, mapping, {
    describe: true,
  });

function rejection(fn: () => unknown): ProfileValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProfileValidationError) return error;
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('a custom mapping', () => {
  it('reads a nested answer: names, the first email, a property, and checks the id', () => {
    const parsed = parse(NESTED, NESTED_MAPPING);
    expect(parsed.shape).toBe('custom');
    expect(parsed.profile).toEqual({
      name: 'Ada L',
      firstName: 'Ada',
      lastName: 'L',
      email: 'ada@example.com',
      phone: null,
      avatarUrl: null,
      metadata: { plan: { name: 'Pro', seats: 3 } },
    });
    expect(parsed.match).toMatchObject({ verdict: 'matched', path: 'data.id' });
    expect(parsed.unknownFields).toEqual(['meta', 'links']);
  });

  it('refuses an answer about another user, naming the id path and nothing else', () => {
    const error = rejection(() => parse(NESTED, NESTED_MAPPING, 'u-2'));
    expect(error.kind).toBe('identity_mismatch');
    expect(error.fields).toEqual(['data.id']);
    expect(error.match).toMatchObject({ verdict: 'mismatch', path: 'data.id' });
    expect(error.message).not.toContain('u-1');
    expect(error.shape?.rows.length).toBeGreaterThan(0);
  });

  it('compares a numeric id by its decimal text', () => {
    const answer = { data: { id: 1042, attributes: { firstName: 'Num' } } };
    const mapping = custom({ externalId: 'data.id', firstName: 'data.attributes.firstName' });
    expect(parse(answer, mapping, '1042').profile.name).toBe('Num');
    expect(rejection(() => parse(answer, mapping, '01042')).kind).toBe('identity_mismatch');
  });

  it('names the path of a value of the wrong type, never a 500 or the value', () => {
    const answer = { data: { id: 'u-1', attributes: { firstName: { secret: 'x-value' } } } };
    const error = rejection(() =>
      parse(answer, custom({ externalId: 'data.id', firstName: 'data.attributes.firstName' })),
    );
    expect(error.kind).toBe('invalid_profile');
    expect(error.fields).toEqual(['data.attributes.firstName']);
    expect(error.message).toMatch(
      /data\.attributes\.firstName \(firstName\): expected text, found an object/,
    );
    expect(error.message).not.toContain('x-value');
    const badId = rejection(() =>
      parse({ data: { id: { x: 1 } } }, custom({ externalId: 'data.id', name: 'n' })),
    );
    expect(badId).toMatchObject({ kind: 'invalid_profile', fields: ['data.id'] });
  });

  it('applies the limits of every profile to mapped values', () => {
    const long = { data: { id: 'u-1', name: 'x'.repeat(201) } };
    expect(rejection(() => parse(long, custom({ name: 'data.name' }))).message).toMatch(
      /longer than 200/,
    );
    const deep = { data: { id: 'u-1', p: { a: { b: { c: 1 } } } } };
    const mapping = custom({}, { properties: [{ path: 'data.p', property: 'p' }] });
    expect(rejection(() => parse(deep, mapping)).message).toMatch(/deeper/);
    const avatar = parse({ pic: 'http://cdn.example.com/a.png' }, custom({ avatarUrl: 'pic' }));
    expect(avatar.profile.avatarUrl).toBeNull();
    expect(avatar.warnings).toContain('avatar: ignored because it is not an https URL');
  });

  it('keeps PII out of properties: by the value, by the key where it lives, and by the name it gets', () => {
    const mapping = custom(
      { firstName: 'data.attributes.firstName' },
      {
        properties: [
          { path: 'data.attributes.card', property: 'payment' },
          { path: 'data.attributes.plan', property: 'cvv' },
          { path: 'meta.requestId', property: 'request' },
        ],
      },
    );
    const parsed = parse(NESTED, mapping);
    expect(parsed.profile.metadata).toEqual({ request: 'r-9' });
    expect(parsed.droppedPii).toEqual([
      { key: 'data.attributes.card', reason: 'sensitive_key' },
      { key: 'cvv', reason: 'sensitive_key' },
    ]);
    expect(JSON.stringify(parsed.profile)).not.toContain('4111');
  });

  it('copies the remaining top-level fields when asked, and warns about a missing property', () => {
    const parsed = parse(
      NESTED,
      custom(
        { externalId: 'data.id', firstName: 'data.attributes.firstName' },
        { includeRemaining: true, properties: [{ path: 'data.nothing', property: 'nothing' }] },
      ),
    );
    expect(parsed.profile.metadata).toEqual({
      meta: { requestId: 'r-9' },
      links: { self: 'https://api.example.com/users/u-1' },
    });
    expect(parsed.unknownFields).toEqual([]);
    expect(parsed.warnings).toEqual([
      'data.nothing: not in the answer, so the property nothing was left out',
    ]);
  });

  it('checks the top-level externalId or id when no id path is mapped, and warns when a mapped one is absent', () => {
    const mapping = custom({ firstName: 'data.attributes.firstName' });
    expect(rejection(() => parse({ ...NESTED, id: 'other' }, mapping)).kind).toBe(
      'identity_mismatch',
    );
    expect(parse(NESTED, mapping).match.verdict).toBe('unchecked');
    const withPath = parse(NESTED, custom({ externalId: 'data.userId', name: 'data.id' }));
    expect(withPath.match.verdict).toBe('unchecked');
    expect(withPath.warnings.join(' ')).toMatch(/no data\.userId/);
  });
});

describe('presets', () => {
  const standard: IntegrationMapping = { ...DEFAULT_MAPPING, preset: 'standard' };
  const dataSync: IntegrationMapping = { ...DEFAULT_MAPPING, preset: 'data_sync' };

  it('standard reads the standard shape even when it carries a status, and checks a top-level id', () => {
    const parsed = parse({ status: 'active', id: 'u-1', first_name: 'Ann' }, standard);
    expect(parsed).toMatchObject({ shape: 'standard', profile: { name: 'Ann' } });
    expect(parsed.match).toMatchObject({ verdict: 'matched', path: 'id' });
    expect(rejection(() => parse({ id: 'u-9', first_name: 'Eve' }, standard)).kind).toBe(
      'identity_mismatch',
    );
  });

  it('data_sync insists on status "ok" and keeps its externalId check', () => {
    expect(rejection(() => parse({ first_name: 'Ann' }, dataSync)).fields).toEqual(['status']);
    const error = rejection(() => parse({ status: 'ok', externalId: 'u-9' }, dataSync));
    expect(error.kind).toBe('identity_mismatch');
    expect(error.message).toMatch(/externalId/);
  });
});

describe('the mapping setting', () => {
  it('refuses unreadable paths, reserved and repeated property names, and an empty custom mapping', () => {
    const issues = (mapping: unknown) =>
      IntegrationMapping.safeParse(mapping).error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues(custom({ email: 'data..email' }))).toEqual([
      ['fields.email', expect.stringMatching(/empty part/)],
    ]);
    expect(
      issues(
        custom(
          {},
          {
            properties: [
              { path: 'a', property: 'plan' },
              { path: 'b', property: 'plan' },
              { path: 'c', property: '__proto__' },
            ],
          },
        ),
      ),
    ).toEqual([
      ['properties.2.property', 'This name is reserved; choose another'],
      ['properties.1.property', 'The property plan is listed twice'],
    ]);
    expect(issues(custom({ externalId: 'id' }))).toEqual([
      ['fields', 'Map at least one field or property, or choose a preset'],
    ]);
  });
});
