import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UpdateIntegrationRequest } from '../../protocol/index.js';
import { SecretBox } from '../crypto/secrets.js';
import { AppError } from '../errors.js';
import { RecordingAnnouncer } from '../announcer/index.js';
import { ProjectService } from '../projects/service.js';
import { openSqliteStore } from '../store/index.js';
import { maskHeaderValue } from '../outbound/index.js';
import { IntegrationService } from './integration.js';

const PROJECT = 'acme';
const CANARY = 'sk_live_CANARY_4f9a';
const HOUR = 3600_000;

let dir: string;
let dbFile: string;
let store: Awaited<ReturnType<typeof openSqliteStore>>;
let service: IntegrationService;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'palaver-integration-'));
  dbFile = join(dir, 'db.sqlite');
  store = await openSqliteStore(dbFile);
  await new ProjectService(store, new RecordingAnnouncer()).create({
    id: PROJECT,
    name: 'Acme',
    allowedOrigins: [],
  });
  service = new IntegrationService(store, new SecretBox(randomBytes(32)), { allowHttp: false });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The integration's row as any other reader of the database file would see it. */
function rawRow(): Record<string, unknown> {
  const db = new BetterSqlite3(dbFile, { readonly: true });
  try {
    return db
      .prepare('SELECT * FROM project_integrations WHERE project_id = ?')
      .get(PROJECT) as Record<string, unknown>;
  } finally {
    db.close();
  }
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

const WITH_HEADERS: UpdateIntegrationRequest = {
  enabled: true,
  url: 'https://api.acme.test/users/{id}',
  headers: [
    { name: 'Authorization', value: `Bearer ${CANARY}` },
    { name: 'X-Api-Key', value: `${CANARY}-2` },
  ],
};

describe('a new integration', () => {
  it('starts off, requiring verified identities, with one identity secret', async () => {
    const settings = await service.settings(PROJECT);
    expect(settings).toMatchObject({
      enabled: false,
      style: 'path',
      url: '',
      paramName: 'id',
      method: 'GET',
      headers: [],
      freshnessSeconds: 300,
      requireVerified: true,
      health: { status: 'unknown', pausedUntil: null },
    });
    expect(settings.identitySecrets).toHaveLength(1);
    expect(settings.identitySecrets[0]?.expiresAt).toBeNull();
    expect(await service.verificationSecrets(PROJECT)).toHaveLength(1);
  });

  it('is not made up for a project that does not exist', async () => {
    const error = await rejection(service.settings('nope'));
    expect(error.status).toBe(404);
  });
});

describe('endpoint headers', () => {
  it('are sealed at rest: the stored row does not contain their values', async () => {
    await service.update(PROJECT, WITH_HEADERS);
    const row = rawRow();
    expect(row.headers_sealed).toEqual(expect.stringMatching(/^v1\./));
    expect(JSON.stringify(row)).not.toContain(CANARY);
    expect(JSON.stringify(row)).not.toContain('Authorization');
    // …and they still open for the fetcher.
    expect((await service.resolve(PROJECT)).headers).toEqual([
      { name: 'Authorization', value: `Bearer ${CANARY}` },
      { name: 'X-Api-Key', value: `${CANARY}-2` },
    ]);
  });

  it('are shown masked, never with their values', async () => {
    await service.update(PROJECT, WITH_HEADERS);
    const settings = await service.settings(PROJECT);
    expect(settings.headers).toEqual([
      { name: 'Authorization', masked: 'Bearer ••••' },
      { name: 'X-Api-Key', masked: '••••' },
    ]);
    expect(JSON.stringify(settings)).not.toContain(CANARY);
  });

  it('mask every value, keeping only a well-known scheme', () => {
    expect(maskHeaderValue('Basic dXNlcjpwYXNz')).toBe('Basic ••••');
    expect(maskHeaderValue('token-without-scheme')).toBe('••••');
    expect(maskHeaderValue('Bearer')).toBe('••••');
  });

  it('are write-only: a header sent without a value keeps its stored value', async () => {
    await service.update(PROJECT, WITH_HEADERS);
    await service.update(PROJECT, {
      headers: [{ name: 'authorization' }, { name: 'X-Tenant', value: 'acme' }],
    });
    expect((await service.resolve(PROJECT)).headers).toEqual([
      { name: 'authorization', value: `Bearer ${CANARY}` },
      { name: 'X-Tenant', value: 'acme' },
    ]);
  });

  it('keep everything when the list is not sent, and go when an empty list is', async () => {
    await service.update(PROJECT, WITH_HEADERS);
    await service.update(PROJECT, { freshnessSeconds: 60 });
    expect((await service.resolve(PROJECT)).headers).toHaveLength(2);
    await service.update(PROJECT, { headers: [] });
    expect((await service.resolve(PROJECT)).headers).toEqual([]);
    expect(rawRow().headers_sealed).toBeNull();
  });

  it('refuse a new header without a value and a header listed twice (422, nothing saved)', async () => {
    await service.update(PROJECT, WITH_HEADERS);
    const missing = await rejection(service.update(PROJECT, { headers: [{ name: 'X-New' }] }));
    expect(missing).toMatchObject({ status: 422, code: 'validation_failed' });
    expect(missing.fields).toEqual([{ path: 'headers.0.value', message: expect.any(String) }]);

    const twice = await rejection(
      service.update(PROJECT, {
        headers: [
          { name: 'X-A', value: '1' },
          { name: 'x-a', value: '2' },
        ],
      }),
    );
    expect(twice).toMatchObject({ status: 422 });
    expect(twice.fields?.[0]?.path).toBe('headers.1.name');
    expect((await service.resolve(PROJECT)).headers).toHaveLength(2);
  });
});

describe('endpoint header values', () => {
  it.each([
    ['an emoji', 'Bearer 🔑'],
    ['a euro sign (outside Latin-1)', 'Bearer €'],
    ['a control character', 'Bearer a\u0001b'],
    ['DEL', 'Bearer a\u007fb'],
  ])('refuse %s with a 422 on that header, without echoing the value', async (_what, value) => {
    const error = await rejection(
      service.update(PROJECT, { headers: [{ name: 'Authorization', value: `${value}${CANARY}` }] }),
    );
    expect(error).toMatchObject({ status: 422, code: 'validation_failed' });
    expect(error.fields?.[0]?.path).toBe('headers.0.value');
    expect(JSON.stringify({ message: error.message, fields: error.fields })).not.toContain(CANARY);
    expect((await service.resolve(PROJECT)).headers).toEqual([]);
  });

  it('accept Latin-1, spaces and tabs', async () => {
    await service.update(PROJECT, { headers: [{ name: 'X-Name', value: 'Zoë\tand  Renée' }] });
    expect((await service.resolve(PROJECT)).headers[0]?.value).toBe('Zoë\tand  Renée');
  });
});

describe('identity secret rotation', () => {
  it('keeps the old secret verifying during the grace period, then only the new one', async () => {
    const [old] = await service.verificationSecrets(PROJECT);
    const before = Date.now();
    const fresh = await service.rotateSecret(PROJECT, 24);
    expect(fresh).not.toBe(old);
    expect(await service.verificationSecrets(PROJECT)).toEqual([fresh, old]);

    const secrets = (await service.settings(PROJECT)).identitySecrets;
    expect(secrets).toHaveLength(2);
    expect(secrets[0]?.expiresAt).toBeNull();
    const expiry = Date.parse(secrets[1]?.expiresAt ?? '');
    expect(expiry).toBeGreaterThanOrEqual(before + 24 * HOUR);
    expect(expiry).toBeLessThanOrEqual(Date.now() + 24 * HOUR);

    expect(await service.verificationSecrets(PROJECT, new Date(expiry - 1000))).toEqual([
      fresh,
      old,
    ]);
    expect(await service.verificationSecrets(PROJECT, new Date(expiry + 1))).toEqual([fresh]);
  });

  it('revokes the old secret at once with a grace of 0 hours', async () => {
    const fresh = await service.rotateSecret(PROJECT, 0);
    expect(await service.verificationSecrets(PROJECT)).toEqual([fresh]);
    expect((await service.settings(PROJECT)).identitySecrets).toHaveLength(1);
  });

  it('never extends an older secret’s grace when rotating again', async () => {
    const [first] = await service.verificationSecrets(PROJECT);
    const second = await service.rotateSecret(PROJECT, 1);
    const third = await service.rotateSecret(PROJECT, 48);
    const soon = new Date(Date.now() + 2 * HOUR);
    expect(await service.verificationSecrets(PROJECT, soon)).toEqual([third, second]);
    expect(await service.verificationSecrets(PROJECT)).toEqual([third, second, first]);
  });

  it('keeps secrets sealed at rest', async () => {
    const fresh = await service.rotateSecret(PROJECT, 24);
    expect(JSON.stringify(rawRow())).not.toContain(fresh);
    expect(JSON.stringify(await service.settings(PROJECT))).not.toContain(fresh);
  });
});

describe('endpoint URL validation', () => {
  it.each([
    [{ enabled: true }, /Enter the URL/],
    [{ url: 'not a url' }, /full URL/],
    [{ url: 'http://api.acme.test/users/{id}' }, /https/],
    [{ url: 'https://me:pw@api.acme.test/users/{id}' }, /header/],
    [{ url: 'https://api.acme.test/users' }, /exactly once/],
    [{ url: 'https://api.acme.test/users/{id}/{id}' }, /exactly once/],
    [{ url: 'https://api.acme.test/users/u{id}' }, /whole path segment/],
    [{ url: 'https://api.acme.test/users?id={id}' }, /whole path segment/],
    [{ url: 'https://api.acme.test/users/{id}#x' }, /fragment/],
    [{ style: 'query', url: 'https://api.acme.test/users/{id}' }, /must not contain \{id\}/],
    [{ style: 'query', url: 'https://api.acme.test/users', paramName: 'a b' }, /parameter/],
    [{ method: 'POST', url: 'https://api.acme.test/sync/{id}' }, /JSON body/],
    [{ method: 'POST', style: 'query', url: 'https://api.acme.test/{id}' }, /JSON body/],
  ] satisfies Array<[UpdateIntegrationRequest, RegExp]>)(
    'refuses %j with a 422 that says what to fix',
    async (input, message) => {
      const error = await rejection(service.update(PROJECT, input));
      expect(error).toMatchObject({ status: 422, code: 'validation_failed' });
      expect(error.message).toMatch(message);
      expect(error.fields?.[0]?.path).toBe('url');
      expect((await service.settings(PROJECT)).url).toBe('');
    },
  );

  it('accepts both styles, and plain http only when the operator allows it', async () => {
    await service.update(PROJECT, { enabled: true, url: ' https://api.acme.test/users/{id} ' });
    expect((await service.settings(PROJECT)).url).toBe('https://api.acme.test/users/{id}');
    await service.update(PROJECT, {
      style: 'query',
      url: 'https://api.acme.test/users?v=2',
      paramName: 'user_id',
    });
    const lenient = new IntegrationService(store, new SecretBox(randomBytes(32)), {
      allowHttp: true,
    });
    await new ProjectService(store, new RecordingAnnouncer()).create({
      id: 'local',
      name: 'Local',
      allowedOrigins: [],
    });
    await lenient.update('local', { enabled: true, url: 'http://10.0.0.5/users/{id}' });
    expect((await lenient.resolve('local')).enabled).toBe(true);
  });

  it('takes a data-sync (POST) URL without {id}, in either style', async () => {
    for (const style of ['path', 'query'] as const) {
      await service.update(PROJECT, {
        enabled: true,
        method: 'POST',
        style,
        url: 'https://api.acme.test/palaver/user-data',
      });
      expect((await service.resolve(PROJECT)).endpoint).toMatchObject({
        method: 'POST',
        url: 'https://api.acme.test/palaver/user-data',
      });
    }
  });
});
