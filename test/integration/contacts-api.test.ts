import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type {
  BulkIdentifyResult,
  Contact,
  ContactPage,
  CreatedApiKey,
  IdentifyResult,
  MergeResult,
} from '../../protocol/index.js';
import { AgentClient, rawRequest, startSession, type HttpAnswer } from '../support/clients.js';
import { createIntegratedProject, logOf, verifiedAs } from '../support/identity.js';
import {
  ADMIN,
  OTHER_PROJECT_ID,
  PROJECT_ID,
  startTestServer,
  type TestServer,
} from '../support/server.js';
import { postgresUrlForTests } from '../support/services.js';
import { json, SiteEndpoint } from '../support/site-endpoint.js';

const pgUrl = await postgresUrlForTests();

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

const dialects = [
  { name: 'SQLite', postgresUrl: undefined },
  ...(pgUrl ? [{ name: 'PostgreSQL', postgresUrl: pgUrl }] : []),
];

describe.each(dialects)('the contacts API on $name', ({ postgresUrl }) => {
  let server: TestServer;
  let admin: AgentClient;
  let writer: string;
  let reader: string;
  let otherProject: string;

  async function createKey(projectId: string, roles: string[], label = 'CRM sync') {
    const created = await admin.request<CreatedApiKey>(
      'POST',
      `/api/admin/projects/${projectId}/api-keys`,
      { label, roles },
    );
    expect(created.status).toBe(201);
    return created.body.secret;
  }

  function api<T = unknown>(
    key: string | null,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<HttpAnswer<T>> {
    const headers: Record<string, string> = {};
    if (key) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return rawRequest(server.url, `/api/v1${path}`, {
      method,
      headers,
      ...(body !== undefined
        ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
        : {}),
    }) as Promise<HttpAnswer<T>>;
  }

  const identify = (id: string, body: unknown, key = writer) =>
    api<IdentifyResult>(key, 'PUT', `/contacts/${encodeURIComponent(id)}`, body);

  beforeAll(async () => {
    server = await startTestServer(postgresUrl ? { postgresUrl } : {});
    admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
    writer = await createKey(PROJECT_ID, ['contacts:write', 'contacts:read']);
    reader = await createKey(PROJECT_ID, ['contacts:read'], 'Reporting');
    otherProject = await createKey(OTHER_PROJECT_ID, ['contacts:write', 'contacts:read'], 'Globex');
  });
  afterAll(() => server.close());

  it('creates a contact, then merges properties key by key on the next identify', async () => {
    const first = await identify('u-1', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      phone: '+14155550123',
      avatarUrl: 'https://cdn.example.com/ada.png',
      properties: {
        plan: 'free',
        city: 'London',
        prefs: { lang: 'en', theme: 'dark' },
        seats: 3,
      },
    });
    expect(first.status).toBe(200);
    expect(first.body.created).toBe(true);
    expect(first.body.contact).toMatchObject({
      externalId: 'u-1',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+14155550123',
    });
    expect(first.body.contact.provenance.fields.email).toMatchObject({
      source: 'push',
      detail: 'CRM sync',
    });

    const second = await identify('u-1', {
      properties: { plan: 'gold', prefs: { lang: 'fr' }, seats: null },
    });
    expect(second.body.created).toBe(false);
    expect(second.body.contact.properties).toEqual({
      plan: 'gold',
      city: 'London',
      prefs: { lang: 'fr' },
    });
    expect(second.body.contact.email).toBe('ada@example.com');

    const read = await api<Contact>(reader, 'GET', '/contacts/u-1');
    expect(read.status).toBe(200);
    expect(read.body).toEqual(second.body.contact);
  });

  it('refuses bad fields with a problem naming each one, and stores nothing', async () => {
    const answer = await identify('u-bad', {
      email: 'not-an-email',
      phone: '0155 5555',
      avatarUrl: 'http://insecure.example.com/a.png',
      nickname: 'typo',
    });
    expect(answer.status).toBe(422);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = answer.body as unknown as Problem;
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(
      expect.arrayContaining(['avatarUrl', 'email', 'phone']),
    );
    expect(JSON.stringify(problem)).toContain('nickname');
    expect((await api(reader, 'GET', '/contacts/u-bad')).status).toBe(404);
  });

  it('enforces the property limits and drops prototype keys and payment data', async () => {
    const deep = await identify('u-deep', { properties: { a: { b: { c: { d: 1 } } } } });
    expect(deep.status).toBe(422);
    const wide = await identify('u-wide', {
      properties: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])),
    });
    expect(wide.status).toBe(422);
    const long = await identify('u-long', { properties: { bio: 'x'.repeat(2001) } });
    expect(long.status).toBe(422);

    const sneaky = await identify(
      'u-sneaky',
      '{"properties":{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}},"card":"4242 4242 4242 4242","plan":"pro"}}',
    );
    expect(sneaky.status).toBe(200);
    expect(sneaky.body.contact.properties).toEqual({ plan: 'pro' });
    expect(sneaky.body.dropped.map((d) => d.reason).sort()).toEqual([
      'dangerous_key',
      'dangerous_key',
      'sensitive_key',
    ]);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('refuses ids that are too long or hold invisible characters', async () => {
    expect((await identify('x'.repeat(257), {})).status).toBe(422);
    expect((await identify('evil\u202Eid', {})).status).toBe(422);
    expect((await identify('tab\tid', {})).status).toBe(422);
  });

  it('applies a bulk batch item by item and lists every outcome', async () => {
    const answer = await api<BulkIdentifyResult>(writer, 'POST', '/contacts/bulk', {
      contacts: [
        { externalId: 'b-1', name: 'Bo One', properties: { plan: 'free' } },
        { externalId: 'b-2', email: 'nope' },
        { externalId: 'b-3', phone: '+4712345678' },
        { name: 'No id' },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.applied).toBe(2);
    expect(answer.body.failed).toBe(2);
    expect(answer.body.results.map((r) => r.status)).toEqual(['ok', 'error', 'ok', 'error']);
    const bad = answer.body.results[1];
    expect(bad?.status === 'error' && bad.errors.map((e) => e.path)).toEqual(['email']);
    expect((await api(reader, 'GET', '/contacts/b-1')).status).toBe(200);
    expect((await api(reader, 'GET', '/contacts/b-2')).status).toBe(404);
  });

  it('refuses a whole batch of 101 contacts or with a repeated id, applying nothing', async () => {
    const tooMany = await api<Problem>(writer, 'POST', '/contacts/bulk', {
      contacts: Array.from({ length: 101 }, (_, i) => ({ externalId: `many-${i}` })),
    });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.detail).toBeTruthy();
    expect((await api(reader, 'GET', '/contacts/many-0')).status).toBe(404);

    const repeated = await api<Problem>(writer, 'POST', '/contacts/bulk', {
      contacts: [{ externalId: 'dup-1' }, { externalId: 'dup-2' }, { externalId: 'dup-1' }],
    });
    expect(repeated.status).toBe(422);
    expect(repeated.body.errors?.[0]?.path).toBe('contacts[2].externalId');
    expect((await api(reader, 'GET', '/contacts/dup-2')).status).toBe(404);
  });

  it('lists with a cursor, a text query and updated-since', async () => {
    for (const id of ['p-1', 'p-2', 'p-3']) {
      await identify(id, { name: `Page ${id}`, properties: { team: 'zebra' } });
    }
    const first = await api<ContactPage>(reader, 'GET', '/contacts?q=zebra&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(2);
    expect(first.body.nextCursor).toBeTruthy();
    const second = await api<ContactPage>(
      reader,
      'GET',
      `/contacts?q=zebra&limit=2&cursor=${encodeURIComponent(first.body.nextCursor!)}`,
    );
    const ids = [...first.body.data, ...second.body.data].map((c) => c.externalId);
    expect(ids.sort()).toEqual(['p-1', 'p-2', 'p-3']);
    expect(second.body.nextCursor).toBeNull();

    const byEmail = await api<ContactPage>(reader, 'GET', '/contacts?q=ada%40example');
    expect(byEmail.body.data.map((c) => c.externalId)).toEqual(['u-1']);

    const since = first.body.data[0]!.updatedAt;
    const recent = await api<ContactPage>(
      reader,
      'GET',
      `/contacts?updatedSince=${encodeURIComponent(since)}`,
    );
    expect(recent.body.data.every((c) => c.updatedAt >= since)).toBe(true);

    expect((await api(reader, 'GET', '/contacts?cursor=not-ours')).status).toBe(400);
    expect((await api(reader, 'GET', '/contacts?limit=1000')).status).toBe(422);
  });

  it('merges a contact into another, and answers a retry from the audit log', async () => {
    await identify('m-primary', {
      email: 'primary@example.com',
      properties: { plan: 'gold', prefs: { lang: 'en' } },
    });
    await identify('m-secondary', {
      email: 'secondary@example.com',
      phone: '+4799999999',
      properties: { plan: 'free', prefs: { theme: 'dark' }, legacy: true },
    });
    const merged = await api<MergeResult>(writer, 'POST', '/contacts/m-primary/merge', {
      fromExternalId: 'm-secondary',
    });
    expect(merged.status).toBe(200);
    expect(merged.body.alreadyMerged).toBe(false);
    expect(merged.body.contact).toMatchObject({
      email: 'primary@example.com',
      phone: '+4799999999',
      properties: { plan: 'gold', prefs: { lang: 'en', theme: 'dark' }, legacy: true },
    });
    expect((await api(reader, 'GET', '/contacts/m-secondary')).status).toBe(404);

    const retry = await api<MergeResult>(writer, 'POST', '/contacts/m-primary/merge', {
      fromExternalId: 'm-secondary',
    });
    expect(retry.status).toBe(200);
    expect(retry.body.alreadyMerged).toBe(true);

    const self = await api<Problem>(writer, 'POST', '/contacts/m-primary/merge', {
      fromExternalId: 'm-primary',
    });
    expect(self.status).toBe(422);
    const missing = await api<Problem>(writer, 'POST', '/contacts/nobody/merge', {
      fromExternalId: 'm-primary',
    });
    expect(missing.status).toBe(404);
    const missingFrom = await api<Problem>(writer, 'POST', '/contacts/m-primary/merge', {
      fromExternalId: 'never-existed',
    });
    expect(missingFrom.status).toBe(404);
  });

  it('erases a contact; a later identify starts afresh', async () => {
    await identify('e-1', { name: 'Erin Erased', properties: { plan: 'gold' } });
    const erased = await api(writer, 'DELETE', '/contacts/e-1?eraseMessages=true');
    expect(erased.status).toBe(200);
    expect((await api(reader, 'GET', '/contacts/e-1')).status).toBe(404);
    expect((await api(writer, 'DELETE', '/contacts/e-1')).status).toBe(404);
    const again = await identify('e-1', { email: 'erin@example.com' });
    expect(again.body.created).toBe(true);
    expect(again.body.contact).toMatchObject({ name: null, properties: {} });
  });

  it('erases a person whose profile is being pulled: the pull ending afterwards stores nothing', async () => {
    const site = await SiteEndpoint.start();
    try {
      const project = await createIntegratedProject(admin, { enabled: true, url: site.template });
      const key = await createKey(project.id, ['contacts:write', 'contacts:read']);
      let answer: () => void = () => undefined;
      const answered = new Promise<void>((resolve) => (answer = resolve));
      site.on('p-1', (req, res) => {
        void answered.then(() => json({ first_name: 'Pat', metadata: { plan: 'gold' } })(req, res));
      });
      const session = await startSession(server.url, verifiedAs(project, 'p-1'));
      expect(session.status).toBe(201);
      await site.reached('p-1');

      expect((await api(key, 'DELETE', '/contacts/p-1')).status).toBe(200);
      answer();
      await vi.waitFor(() => {
        expect(server.services.profiles.isPending(project.id, 'p-1')).toBe(false);
      });
      expect((await api(key, 'GET', '/contacts/p-1')).status).toBe(404);
      expect((await logOf(admin, project.id)).map((entry) => entry.externalUserId)).toEqual([]);
    } finally {
      await site.close();
    }
  });

  it('answers 401 without a valid key, 403 without the role, and keeps projects apart', async () => {
    expect((await api(null, 'GET', '/contacts/u-1')).status).toBe(401);
    expect((await api('pk_not_a_real_key', 'GET', '/contacts/u-1')).status).toBe(401);
    const noRole = await identify('u-1', { name: 'Reader cannot' }, reader);
    expect(noRole.status).toBe(403);
    expect((noRole.body as unknown as Problem).detail).toContain('contacts:write');

    // Another project's key sees its own (empty) project, never this one's contacts.
    expect((await api(otherProject, 'GET', '/contacts/u-1')).status).toBe(404);
    const theirs = await api<ContactPage>(otherProject, 'GET', '/contacts');
    expect(theirs.body.data).toEqual([]);
    await identify('u-1', { name: 'Globex person' }, otherProject);
    const ours = await api<Contact>(reader, 'GET', '/contacts/u-1');
    expect(ours.body.name).toBe('Ada Lovelace');
  });
});
