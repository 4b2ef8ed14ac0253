import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiKey,
  ApiKeyList,
  ApiProject,
  CreatedApiKey,
  ErrorBody,
  Problem,
} from '../../protocol/index.js';
import { contactRoutes } from '../../protocol/routes/index.js';
import { apiKeyOf } from '../../server/http/middleware/api-key.js';
import { v1Router, type V1Handlers } from '../../server/http/v1.js';
import { hashSecret } from '../../server/ids.js';
import { Limiter, MemoryLimitStore } from '../../server/limits/index.js';
import { StoreUnavailableError } from '../../server/store/index.js';
import { AgentClient, rawRequest, type HttpAnswer } from '../support/clients.js';
import {
  ADMIN,
  AGENT,
  OTHER_PROJECT_ID,
  PROJECT_ID,
  PUBLIC_URL,
  startTestServer,
  type TestServer,
} from '../support/server.js';

const lines: string[] = [];
let server: TestServer;
let admin: AgentClient;
/** Every key a test used, to check that none reached the log. */
const used: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ logLines: lines });
  admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
});
afterAll(() => server.close());

async function createKey(
  body: Record<string, unknown> = {},
  projectId = PROJECT_ID,
): Promise<CreatedApiKey> {
  const created = await admin.request<CreatedApiKey>(
    'POST',
    `/api/admin/projects/${projectId}/api-keys`,
    { label: 'CRM sync', roles: ['contacts:read'], ...body },
  );
  expect(created.status).toBe(201);
  used.push(created.body.secret);
  return created.body;
}

function withKey<T = Problem>(
  base: string,
  path: string,
  authorization: string | null,
  init: RequestInit = {},
): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (authorization !== null) headers.authorization = authorization;
  return rawRequest(base, path, { ...init, headers }) as Promise<HttpAnswer<T>>;
}

/** Answers problem+json of `kind` with `status`, naming what went wrong. */
function expectProblem(answer: HttpAnswer<Problem>, status: number, kind: string, path: string) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({
    type: `urn:palaver:problem:${kind}`,
    title: expect.any(String),
    status,
    detail: expect.any(String),
    instance: path,
  });
}

describe('API keys in the console', () => {
  it('shows a new key’s secret once, and lists the key by its prefix, roles and creator', async () => {
    const created = await createKey({ roles: ['contacts:read', 'contacts:write'] });
    expect(created.secret).toMatch(/^palaver_[0-9A-Za-z]{48}$/);
    expect(created.apiKey).toMatchObject({
      projectId: PROJECT_ID,
      label: 'CRM sync',
      prefix: created.secret.slice(0, 12),
      roles: ['contacts:read', 'contacts:write'],
      createdBy: { name: 'Ada Admin' },
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
    });
    const listed = await admin.request<ApiKeyList>('GET', `/api/admin/projects/acme/api-keys`);
    expect(listed.status).toBe(200);
    expect(listed.body.apiKeys).toContainEqual(created.apiKey);
    expect(JSON.stringify(listed.body)).not.toContain(created.secret);
    // Stored as its SHA-256 only.
    const stored = await server.services.store.apiKeys.byHash(hashSecret(created.secret));
    expect(stored?.id).toBe(created.apiKey.id);
    expect(JSON.stringify(stored)).not.toContain(created.secret.slice(12));
  });

  it('records when a key was last used', async () => {
    const { apiKey, secret } = await createKey();
    const answer = await withKey<ApiProject>(server.url, '/api/v1/project', `Bearer ${secret}`);
    expect(answer.status).toBe(200);
    const listed = await admin.request<ApiKeyList>('GET', `/api/admin/projects/acme/api-keys`);
    const after = listed.body.apiKeys.find((k) => k.id === apiKey.id);
    expect(after?.lastUsedAt).not.toBeNull();
  });

  it('refuses an expiry in the past, no role, and an unknown project, and stores nothing', async () => {
    const before = (await admin.request<ApiKeyList>('GET', '/api/admin/projects/acme/api-keys'))
      .body.apiKeys.length;
    const past = await admin.request<ErrorBody>('POST', '/api/admin/projects/acme/api-keys', {
      label: 'Old',
      roles: ['contacts:read'],
      expiresAt: '2020-01-01T00:00:00.000Z',
    });
    expect(past.status).toBe(422);
    expect(past.body.error.fields).toEqual([{ path: 'expiresAt', message: expect.any(String) }]);
    const noRole = await admin.request<ErrorBody>('POST', '/api/admin/projects/acme/api-keys', {
      label: 'None',
      roles: [],
    });
    expect(noRole.status).toBe(422);
    expect(noRole.body.error.fields?.[0]?.path).toBe('roles');
    const unknown = await admin.request<ErrorBody>('POST', '/api/admin/projects/nope/api-keys', {
      label: 'Lost',
      roles: ['contacts:read'],
    });
    expect(unknown.status).toBe(404);
    const after = (await admin.request<ApiKeyList>('GET', '/api/admin/projects/acme/api-keys')).body
      .apiKeys.length;
    expect(after).toBe(before);
  });

  it('is for admins only', async () => {
    const agent = await AgentClient.login(server.url, AGENT.email, AGENT.password);
    expect((await agent.request('GET', '/api/admin/projects/acme/api-keys')).status).toBe(403);
    const create = await agent.request('POST', '/api/admin/projects/acme/api-keys', {
      label: 'Mine',
      roles: ['contacts:read'],
    });
    expect(create.status).toBe(403);
  });
});

describe('the public API’s front door', () => {
  const path = '/api/v1/project';

  it('answers the key’s own project, never another one', async () => {
    const acme = await createKey({}, PROJECT_ID);
    const globex = await createKey({}, OTHER_PROJECT_ID);
    const a = await withKey<ApiProject>(server.url, path, `Bearer ${acme.secret}`);
    const b = await withKey<ApiProject>(server.url, path, `bearer   ${globex.secret}`);
    expect(a.body).toEqual({ id: PROJECT_ID, name: 'Acme' });
    expect(b.body).toEqual({ id: OTHER_PROJECT_ID, name: 'Globex' });
    // Another project's admin path cannot reach the key either.
    const revoke = await admin.request(
      'DELETE',
      `/api/admin/projects/${OTHER_PROJECT_ID}/api-keys/${acme.apiKey.id}`,
    );
    expect(revoke.status).toBe(404);
    expect((await withKey(server.url, path, `Bearer ${acme.secret}`)).status).toBe(200);
  });

  it('refuses a missing, malformed, unknown, revoked or expired key with 401 saying which', async () => {
    const unknown = `palaver_${'A'.repeat(48)}`;
    const revoked = await createKey();
    const revokedAnswer = await admin.request<ApiKey>(
      'DELETE',
      `/api/admin/projects/acme/api-keys/${revoked.apiKey.id}`,
    );
    expect(revokedAnswer.body.revokedAt).not.toBeNull();
    const expired = `palaver_${'e'.repeat(48)}`;
    used.push(unknown, expired);
    await server.services.store.apiKeys.create({
      id: 'key_expired',
      projectId: PROJECT_ID,
      label: 'Expired',
      prefix: expired.slice(0, 12),
      hash: hashSecret(expired),
      roles: ['contacts:read'],
      createdBy: null,
      createdAt: '2025-01-01T00:00:00.000Z',
      expiresAt: '2025-02-01T00:00:00.000Z',
      lastUsedAt: null,
      revokedAt: null,
    });

    const cases: Array<[string | null, string, RegExp]> = [
      [null, 'api-key-missing', /Authorization header/],
      ['', 'api-key-missing', /Authorization header/],
      ['Bearer', 'api-key-malformed', /Bearer palaver_/],
      [`Basic ${revoked.secret}`, 'api-key-malformed', /Bearer palaver_/],
      [revoked.secret, 'api-key-malformed', /Bearer palaver_/],
      [`Bearer ${revoked.secret}x`, 'api-key-malformed', /Bearer palaver_/],
      [`Bearer ${unknown}`, 'api-key-unknown', /does not exist/],
      [`Bearer ${revoked.secret}`, 'api-key-revoked', /revoked/],
      [`Bearer ${expired}`, 'api-key-expired', /expired at 2025-02-01T00:00:00.000Z/],
    ];
    for (const [authorization, kind, detail] of cases) {
      const answer = await withKey(server.url, path, authorization);
      expectProblem(answer, 401, kind, path);
      expect(answer.body.detail, kind).toMatch(detail);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="palaver"/);
      for (const key of [revoked.secret, unknown, expired]) {
        expect(JSON.stringify(answer.body)).not.toContain(key.slice(8));
      }
    }
  });

  it('refuses a key revoked a moment ago', async () => {
    const { apiKey, secret } = await createKey();
    expect((await withKey(server.url, path, `Bearer ${secret}`)).status).toBe(200);
    await admin.request('DELETE', `/api/admin/projects/acme/api-keys/${apiKey.id}`);
    expectProblem(
      await withKey(server.url, path, `Bearer ${secret}`),
      401,
      'api-key-revoked',
      path,
    );
  });

  it('answers unknown paths under /api/v1 with a problem, key or not', async () => {
    const { secret } = await createKey();
    for (const authorization of [null, `Bearer ${secret}`]) {
      const answer = await withKey(server.url, '/api/v1/nothing/here?x=1', authorization);
      expectProblem(answer, 404, 'not-found', '/api/v1/nothing/here');
      expect(answer.body.detail).toContain('GET /api/v1/nothing/here');
    }
    // The other APIs keep their shape.
    const other = await rawRequest(server.url, '/api/nothing');
    expect(other.status).toBe(404);
    expect((other.body as ErrorBody).error.code).toBe('not_found');
  });

  it('sends no CORS headers: the API is for servers', async () => {
    const { secret } = await createKey();
    const answer = await withKey(server.url, path, `Bearer ${secret}`, {
      headers: { origin: 'https://evil.test' },
    });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('routes of the public API with roles and bodies', () => {
  let base: string;
  let close: () => Promise<void>;

  /** The contact routes of the table, answered by stand-ins: what is tested is the door. */
  const standIns: V1Handlers = (route) => {
    route(contactRoutes.identifyContact, ({ params, body }, req, res) => {
      res.json({ externalId: params.externalId, name: body.name, key: apiKeyOf(req).label });
    });
    route(contactRoutes.getContact, () => {
      throw new Error('a bug in a handler');
    });
    route(contactRoutes.listContacts, () => {
      throw new StoreUnavailableError(new Error('connection refused'));
    });
  };

  beforeAll(async () => {
    const app = express();
    const limiter = new Limiter(
      { name: 'api-key', points: 1000, windowMs: 60_000 },
      new MemoryLimitStore().counter({ name: 'api-key', points: 1000, windowMs: 60_000 }),
    );
    app.use(
      '/api/v1',
      v1Router({ ...server.services, publicUrl: PUBLIC_URL }, { keyLimit: limiter }, [standIns]),
    );
    const listening = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => listening.once('listening', resolve));
    base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => listening.close(() => resolve()));
  });
  afterAll(() => close());

  const put = (secret: string, body: string, contentType = 'application/json') =>
    withKey(base, '/api/v1/contacts/u-1', `Bearer ${secret}`, {
      method: 'PUT',
      headers: { 'content-type': contentType },
      body,
    });

  it('refuses a key without the route’s role with 403 naming the role', async () => {
    const { secret } = await createKey({ roles: ['contacts:read', 'conversations:read'] });
    const answer = await put(secret, JSON.stringify({ name: 'Ann' }));
    expectProblem(answer, 403, 'insufficient-role', '/api/v1/contacts/u-1');
    expect(answer.body.detail).toContain('"contacts:write"');
  });

  it('gives the handler the key’s label, with the body parsed by the table’s schema', async () => {
    const { secret } = await createKey({ label: 'Nightly job', roles: ['contacts:write'] });
    const answer = await put(secret, JSON.stringify({ name: 'Ann' }));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ externalId: 'u-1', name: 'Ann', key: 'Nightly job' });
  });

  it('answers unreadable, oversized and invalid bodies with problems', async () => {
    const { secret } = await createKey({ roles: ['contacts:write'] });
    const where = '/api/v1/contacts/u-1';
    expectProblem(await put(secret, '{"name":'), 400, 'bad-request', where);
    const large = JSON.stringify({ name: 'Ann', properties: { blob: 'x'.repeat(1_100_000) } });
    expectProblem(await put(secret, large), 413, 'payload-too-large', where);
    const invalid = await put(secret, JSON.stringify({ name: 'Ann', email: 'not-an-email' }));
    expectProblem(invalid, 422, 'validation-failed', where);
    expect(invalid.body.errors).toContainEqual({ path: 'email', message: expect.any(String) });
    const escape = await withKey(base, '/api/v1/contacts/%E0%A4%A', `Bearer ${secret}`);
    expectProblem(escape, 400, 'bad-request', '/api/v1/contacts/%E0%A4%A');
  });

  it('answers a database that does not answer with a 503 problem and Retry-After', async () => {
    const { secret } = await createKey();
    const answer = await withKey(base, '/api/v1/contacts', `Bearer ${secret}`);
    expectProblem(answer, 503, 'unavailable', '/api/v1/contacts');
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers a bug with a 500 problem that tells nothing of it, and logs it without the key', async () => {
    const { secret } = await createKey();
    const answer = await withKey(base, '/api/v1/contacts/u-1', `Bearer ${secret}`);
    expectProblem(answer, 500, 'internal', '/api/v1/contacts/u-1');
    expect(answer.body.detail).not.toContain('bug');
    expect(lines.some((l) => l.includes('a bug in a handler'))).toBe(true);
  });
});

describe('the rate limit of a key', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ apiKeyRateLimit: 3 });
  });
  afterAll(() => limited.close());

  it('counts each key on its own and answers 429 with Retry-After and the RateLimit headers', async () => {
    const client = await AgentClient.login(limited.url, ADMIN.email, ADMIN.password);
    const make = async () =>
      (
        await client.request<CreatedApiKey>('POST', '/api/admin/projects/acme/api-keys', {
          label: 'Busy',
          roles: ['contacts:read'],
        })
      ).body.secret;
    const busy = await make();
    for (let remaining = 2; remaining >= 0; remaining--) {
      const answer = await withKey(limited.url, '/api/v1/project', `Bearer ${busy}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('ratelimit-policy')).toMatch(/^"api-key"; q=3; w=60; pk=:.+:$/);
      expect(answer.headers.get('ratelimit')).toMatch(
        new RegExp(`^"api-key"; r=${remaining}; t=\\d+$`),
      );
    }
    const refused = await withKey(limited.url, '/api/v1/project', `Bearer ${busy}`);
    expectProblem(refused, 429, 'rate-limited', '/api/v1/project');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit')).toMatch(/^"api-key"; r=0; t=\d+$/);
    expect(refused.body.detail).toMatch(/wait \d+ seconds?/);
    // Another key of the same project is not affected.
    expect((await withKey(limited.url, '/api/v1/project', `Bearer ${await make()}`)).status).toBe(
      200,
    );
  });
});

describe('the log', () => {
  it('never holds a key, right or wrong', () => {
    expect(lines.length).toBeGreaterThan(0);
    expect(used.length).toBeGreaterThan(5);
    for (const key of used) {
      // The visible prefix is no secret; the rest must never appear.
      const secretPart = key.slice(12);
      expect(lines.filter((l) => l.includes(secretPart))).toEqual([]);
    }
  });
});
