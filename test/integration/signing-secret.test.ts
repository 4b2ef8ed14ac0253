import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, RotatedSigningSecret, SigningSecrets } from '../../protocol/index.js';
import { verifySignature } from '../../server/signing/index.js';
import { AgentClient } from '../support/clients.js';
import {
  ADMIN,
  AGENT,
  OTHER_PROJECT_ID,
  PROJECT_ID,
  startTestServer,
  type TestServer,
} from '../support/server.js';
import { postgresUrlForTests } from '../support/services.js';

const pgUrl = await postgresUrlForTests();
const dialects = [
  { name: 'SQLite', postgresUrl: undefined },
  ...(pgUrl ? [{ name: 'PostgreSQL', postgresUrl: pgUrl }] : []),
];

const PATH = `/api/admin/projects/${PROJECT_ID}/signing-secret`;
const BODY = JSON.stringify({ id: 'evt_1', type: 'conversation.created' });
const HOUR = 3_600_000;

describe.each(dialects)('the signing secret on $name', ({ postgresUrl }) => {
  let server: TestServer;
  let admin: AgentClient;
  let sam: AgentClient;
  let clock = new Date('2030-01-01T10:00:00.000Z');
  const later = (ms: number) => (clock = new Date(clock.getTime() + ms));

  beforeAll(async () => {
    server = await startTestServer({ now: () => clock, ...(postgresUrl ? { postgresUrl } : {}) });
    admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
    sam = await AgentClient.login(server.url, AGENT.email, AGENT.password);
  });
  afterAll(() => server.close());

  async function rotate(body: unknown) {
    return admin.send<RotatedSigningSecret>('POST', PATH, { body: JSON.stringify(body) });
  }
  const describeSecrets = async () => (await admin.request<SigningSecrets>('GET', PATH)).body;
  /** What a site holding `secret` makes of a request Palaver signs now. */
  const siteAccepts = async (secret: string) => {
    const header = await server.services.signing.sign(PROJECT_ID, BODY);
    return verifySignature(header, BODY, secret, { now: clock }).ok;
  };

  it('shows a rotated secret once; the settings show only its prefix; both old and new sign during the grace period, the old one not after', async () => {
    const first = await rotate({ graceHours: 0 });
    expect(first.status).toBe(201);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const old = first.body.secret;
    expect(old).toMatch(/^palsig_[0-9A-Za-z]{48}$/);
    expect(await siteAccepts(old)).toBe(true);

    later(HOUR);
    const second = await rotate({ graceHours: 2 });
    expect(second.status).toBe(201);
    const secret = second.body.secret;
    expect(second.body.signing).toEqual(await describeSecrets());

    const listed = await describeSecrets();
    expect(listed.secrets).toEqual([
      {
        id: expect.any(String),
        prefix: secret.slice(0, 11),
        shown: true,
        createdAt: '2030-01-01T11:00:00.000Z',
        expiresAt: null,
      },
      {
        id: expect.any(String),
        prefix: old.slice(0, 11),
        shown: true,
        createdAt: '2030-01-01T10:00:00.000Z',
        expiresAt: '2030-01-01T13:00:00.000Z',
      },
    ]);
    for (const value of [secret, old]) {
      expect(JSON.stringify(listed)).not.toContain(value.slice(11));
      expect(JSON.stringify(second.body.signing)).not.toContain(value.slice(11));
    }

    expect(await siteAccepts(secret)).toBe(true);
    expect(await siteAccepts(old)).toBe(true);

    later(2 * HOUR);
    expect(await siteAccepts(secret)).toBe(true);
    expect(await siteAccepts(old)).toBe(false);
    expect((await describeSecrets()).secrets.map((s) => s.prefix)).toEqual([secret.slice(0, 11)]);
  });

  it('keeps the old secret 24 hours unless told otherwise', async () => {
    const { secret: old } = (await rotate({})).body;
    const { body } = await rotate({});
    expect(body.signing.secrets[1]?.expiresAt).toBe(
      new Date(clock.getTime() + 24 * HOUR).toISOString(),
    );
    later(24 * HOUR - 10_000);
    expect(await siteAccepts(old)).toBe(true);
    later(10_000);
    expect(await siteAccepts(old)).toBe(false);
    expect(await siteAccepts(body.secret)).toBe(true);
  });

  it('makes a project’s first secret for its first signed request, listed as never shown', async () => {
    expect(
      (
        await admin.request<SigningSecrets>(
          'GET',
          `/api/admin/projects/${OTHER_PROJECT_ID}/signing-secret`,
        )
      ).body,
    ).toEqual({ secrets: [] });
    await server.services.signing.sign(OTHER_PROJECT_ID, BODY);
    const { body } = await admin.request<SigningSecrets>(
      'GET',
      `/api/admin/projects/${OTHER_PROJECT_ID}/signing-secret`,
    );
    expect(body.secrets).toMatchObject([{ shown: false, expiresAt: null }]);
  });

  it('refuses a grace period outside 0–168 hours, or anything else in the body, and changes nothing', async () => {
    const before = await describeSecrets();
    for (const body of [
      { graceHours: -1 },
      { graceHours: 169 },
      { graceHours: 1.5 },
      { graceHours: '24' },
      { graceHours: 24, secret: 'palsig_mine' },
    ]) {
      const answer = await rotate(body);
      expect(answer.status).toBe(422);
      expect((answer.body as unknown as ErrorBody).error.code).toBe('validation_failed');
    }
    expect(await describeSecrets()).toEqual(before);
  });

  it('is for admins only, and a rotation needs the CSRF token', async () => {
    const before = await describeSecrets();
    expect((await sam.send('GET', PATH)).status).toBe(403);
    const bySam = await sam.send('POST', PATH, { body: '{}' });
    expect(bySam.status).toBe(403);
    expect((bySam.body as ErrorBody).error.code).toBe('forbidden');
    const noToken = await admin.send('POST', PATH, { body: '{}', csrfToken: null });
    expect(noToken.status).toBe(403);
    expect((noToken.body as ErrorBody).error.code).toBe('csrf_failed');
    expect(await describeSecrets()).toEqual(before);
  });

  it('answers 404 for a project that does not exist', async () => {
    const path = '/api/admin/projects/nope/signing-secret';
    expect((await admin.send('GET', path)).status).toBe(404);
    expect((await admin.send('POST', path, { body: '{}' })).status).toBe(404);
  });
});
