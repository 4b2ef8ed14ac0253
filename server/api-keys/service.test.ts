import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WIDGET_OPTIONS } from '../../protocol/index.js';
import { createLogger } from '../logger.js';
import { openSqliteStore, type Store } from '../store/index.js';
import { newKeySecret } from './secret.js';
import { ApiKeyService } from './service.js';

let store: Store;
let clock: Date;
let keys: ApiKeyService;
const logger = createLogger('silent');

beforeEach(async () => {
  store = await openSqliteStore(':memory:');
  await store.projects.create({
    id: 'acme',
    name: 'Acme',
    allowedOrigins: [],
    widget: DEFAULT_WIDGET_OPTIONS,
    createdAt: '2030-01-01T00:00:00.000Z',
  });
  clock = new Date('2030-01-01T10:00:00.000Z');
  keys = new ApiKeyService(store, logger, () => clock);
});
afterEach(() => store.close());

const later = (ms: number) => (clock = new Date(clock.getTime() + ms));

describe('a new key', () => {
  it('is a recognisable, never repeated secret of 48 base62 characters', () => {
    const made = Array.from({ length: 500 }, newKeySecret);
    for (const key of made) expect(key).toMatch(/^palaver_[0-9A-Za-z]{48}$/);
    expect(new Set(made).size).toBe(made.length);
    // Every character of the alphabet turns up: none is left out by the drawing.
    expect(new Set(made.map((key) => key.slice(8)).join('')).size).toBe(62);
  });

  it('authenticates with its roles and project, whatever the case of "Bearer"', async () => {
    const { apiKey, secret } = await keys.create('acme', null, {
      label: 'CRM',
      roles: ['contacts:write'],
    });
    expect(await keys.authenticate(`bearer ${secret}`)).toEqual({
      ok: true,
      key: { id: apiKey.id, projectId: 'acme', label: 'CRM', roles: ['contacts:write'] },
    });
  });

  it('expires at its expiry, to the millisecond', async () => {
    const { secret } = await keys.create('acme', null, {
      label: 'Trial',
      roles: ['contacts:read'],
      expiresAt: new Date(clock.getTime() + 60_000).toISOString(),
    });
    later(59_999);
    expect((await keys.authenticate(`Bearer ${secret}`)).ok).toBe(true);
    later(1);
    expect(await keys.authenticate(`Bearer ${secret}`)).toMatchObject({
      ok: false,
      failure: { reason: 'expired' },
    });
  });
});

describe('the last use of a key', () => {
  it('is written at most once a minute, however many requests come', async () => {
    const { apiKey, secret } = await keys.create('acme', null, {
      label: 'Busy',
      roles: ['contacts:read'],
    });
    const lastUsed = async () => (await store.apiKeys.get('acme', apiKey.id))?.lastUsedAt;
    const first = clock.toISOString();
    await keys.authenticate(`Bearer ${secret}`);
    expect(await lastUsed()).toBe(first);
    for (let i = 0; i < 5; i++) {
      later(10_000);
      await keys.authenticate(`Bearer ${secret}`);
    }
    expect(await lastUsed()).toBe(first);
    later(10_000);
    await keys.authenticate(`Bearer ${secret}`);
    expect(await lastUsed()).toBe(clock.toISOString());
  });

  it('is not written for a refused key', async () => {
    const { apiKey, secret } = await keys.create('acme', null, {
      label: 'Old',
      roles: ['contacts:read'],
    });
    await keys.revoke('acme', apiKey.id);
    expect((await keys.authenticate(`Bearer ${secret}`)).ok).toBe(false);
    expect((await store.apiKeys.get('acme', apiKey.id))?.lastUsedAt).toBeNull();
  });
});

describe('a key provisioned with its secret (the demo’s)', () => {
  const acme = { label: 'Acme server', roles: ['contacts:write' as const] };

  it('is made once, however often or concurrently it is ensured', async () => {
    const secret = newKeySecret();
    const made = await Promise.all([1, 2, 3].map(() => keys.ensure('acme', acme, secret)));
    expect(new Set(made.map((key) => key.id)).size).toBe(1);
    expect(await keys.list('acme')).toHaveLength(1);
    expect(await keys.authenticate(`Bearer ${secret}`)).toMatchObject({
      ok: true,
      key: { projectId: 'acme', label: 'Acme server', roles: ['contacts:write'] },
    });
  });

  it('stays revoked once an admin revoked it', async () => {
    const secret = newKeySecret();
    const key = await keys.ensure('acme', acme, secret);
    await keys.revoke('acme', key.id);
    expect((await keys.ensure('acme', acme, secret)).revokedAt).not.toBeNull();
    expect((await keys.authenticate(`Bearer ${secret}`)).ok).toBe(false);
  });

  it('refuses a secret that is not a key, and another project’s key', async () => {
    await expect(keys.ensure('acme', acme, 'palaver_short')).rejects.toThrow(
      /Not a Palaver API key/,
    );
    await store.projects.create({
      id: 'globex',
      name: 'Globex',
      allowedOrigins: [],
      widget: DEFAULT_WIDGET_OPTIONS,
      createdAt: '2030-01-01T00:00:00.000Z',
    });
    const secret = newKeySecret();
    await keys.ensure('globex', acme, secret);
    await expect(keys.ensure('acme', acme, secret)).rejects.toThrow(/another project/);
  });
});
