import { describe, expect, it } from 'vitest';
import { DEFAULT_WIDGET_OPTIONS } from '../../protocol/index.js';
import type { ApiKeyRecord } from './api-keys-port.js';
import type { StoreFixture } from './contract-fixture.js';
import { DuplicateError } from './duplicate.js';

export function describeApiKeysContract(f: StoreFixture): void {
  describe('API keys', () => {
    const key = (overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
      id: 'key_1',
      projectId: 'p1',
      label: 'CRM sync',
      prefix: 'palaver_AbCd',
      hash: 'hash-1',
      roles: ['contacts:read', 'contacts:write'],
      createdBy: null,
      createdAt: f.now,
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
      ...overrides,
    });
    const later = (minutes: number) => new Date(Date.parse(f.now) + minutes * 60_000).toISOString();

    it('finds a key by its hash with its roles, and lists a project’s keys newest first with their creator’s name', async () => {
      const ada = f.agent('ada@example.com');
      await f.store.agents.create({ ...ada, name: 'Ada' });
      await f.store.apiKeys.create(key({ createdBy: ada.id, expiresAt: later(60) }));
      await f.store.apiKeys.create(
        key({
          id: 'key_2',
          hash: 'hash-2',
          label: 'Nightly',
          roles: ['conversations:read'],
          createdAt: later(1),
        }),
      );
      expect(await f.store.apiKeys.byHash('hash-1')).toEqual(
        key({ createdBy: ada.id, expiresAt: later(60) }),
      );
      expect(await f.store.apiKeys.byHash('hash-3')).toBeNull();

      const listed = await f.store.apiKeys.list('p1');
      expect(listed.map((k) => k.label)).toEqual(['Nightly', 'CRM sync']);
      expect(listed[1]).toEqual({
        id: 'key_1',
        projectId: 'p1',
        label: 'CRM sync',
        prefix: 'palaver_AbCd',
        roles: ['contacts:read', 'contacts:write'],
        createdBy: { id: ada.id, name: 'Ada' },
        createdAt: f.now,
        expiresAt: later(60),
        lastUsedAt: null,
        revokedAt: null,
      });
      expect(listed[0]?.createdBy).toBeNull();
      expect(JSON.stringify(listed)).not.toContain('hash-');
    });

    it('keeps each project’s keys to itself', async () => {
      await f.store.projects.create({
        id: 'p2',
        name: 'P2',
        allowedOrigins: [],
        widget: DEFAULT_WIDGET_OPTIONS,
        createdAt: f.now,
      });
      await f.store.apiKeys.create(key());
      expect(await f.store.apiKeys.list('p2')).toEqual([]);
      expect(await f.store.apiKeys.get('p2', 'key_1')).toBeNull();
      expect(await f.store.apiKeys.revoke('p2', 'key_1', later(1))).toBeNull();
      expect((await f.store.apiKeys.byHash('hash-1'))?.revokedAt).toBeNull();
    });

    it('refuses a second key with the same hash as a duplicate', async () => {
      await f.store.apiKeys.create(key());
      const error: unknown = await f.store.apiKeys
        .create(key({ id: 'key_2' }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateError);
      expect(error).toMatchObject({ entity: 'API key', field: 'hash' });
      expect(await f.store.apiKeys.list('p1')).toHaveLength(1);
    });

    it('revokes a key once: revoking again keeps the first time', async () => {
      await f.store.apiKeys.create(key());
      expect((await f.store.apiKeys.revoke('p1', 'key_1', later(1)))?.revokedAt).toBe(later(1));
      expect((await f.store.apiKeys.revoke('p1', 'key_1', later(2)))?.revokedAt).toBe(later(1));
      expect((await f.store.apiKeys.byHash('hash-1'))?.revokedAt).toBe(later(1));
      expect(await f.store.apiKeys.revoke('p1', 'key_9', later(3))).toBeNull();
    });

    it('records the latest use, whatever order the uses arrive in', async () => {
      await f.store.apiKeys.create(key());
      await f.store.apiKeys.touch('key_1', later(5));
      await f.store.apiKeys.touch('key_1', later(3));
      expect((await f.store.apiKeys.get('p1', 'key_1'))?.lastUsedAt).toBe(later(5));
      await f.store.apiKeys.touch('key_1', later(7));
      expect((await f.store.apiKeys.get('p1', 'key_1'))?.lastUsedAt).toBe(later(7));
    });
  });
}
