import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING, type IntegrationMapping } from '../../protocol/index.js';
import { createdOnce, logEntry, type StoreFixture } from './contract-fixture.js';
import { LOG_RETENTION } from './identity-port.js';

export function describeIdentityContract(f: StoreFixture): void {
  describe('identity', () => {
    it('keeps the newest LOG_RETENTION integration log entries of a project', async () => {
      const extra = 3;
      for (let i = 0; i < LOG_RETENTION + extra; i++) {
        await f.store.identity.appendLog(
          logEntry({
            id: `ilog_${String(i).padStart(5, '0')}`,
            at: new Date(Date.parse(f.now) + i * 1000).toISOString(),
            externalUserId: `u${i}`,
          }),
        );
      }
      const kept = await f.store.identity.listLog('p1', { limit: LOG_RETENTION + 10 });
      expect(kept).toHaveLength(LOG_RETENTION);
      expect(kept[0]?.externalUserId).toBe(`u${LOG_RETENTION + extra - 1}`);
      expect(kept.at(-1)?.externalUserId).toBe(`u${extra}`);
    }, 30_000);

    it('removes one integration log entry and leaves the others', async () => {
      await f.store.identity.appendLog(logEntry({ id: 'ilog_1' }));
      await f.store.identity.appendLog(logEntry({ id: 'ilog_2' }));
      await f.store.identity.removeLog('p2', 'ilog_1');
      await f.store.identity.removeLog('p1', 'ilog_2');
      await f.store.identity.removeLog('p1', 'ilog_2');
      expect((await f.store.identity.listLog('p1', {})).map((e) => e.id)).toEqual(['ilog_1']);
    });

    it('keeps the first integration created for a project, and configures an unconfigured one once', async () => {
      const integration = (secret: string, url = '') => ({
        projectId: 'p1',
        enabled: url !== '',
        style: 'path' as const,
        url,
        paramName: 'id',
        method: 'GET' as const,
        headersSealed: null,
        freshnessSeconds: 60,
        requireVerified: true,
        mapping: DEFAULT_MAPPING,
        onNotFound: 'keep' as const,
        secretsSealed: secret,
        health: {
          status: 'unknown' as const,
          failingSince: null,
          lastSuccessAt: null,
          lastError: null,
        },
        updatedAt: null,
      });
      await f.connectionsForEveryCaller();
      await Promise.all(
        ['s1', 's2', 's3'].map((s) => f.store.identity.createIntegrationIfAbsent(integration(s))),
      );
      const first = (await f.store.identity.getIntegration('p1'))!.secretsSealed;
      await f.store.identity.createIntegrationIfAbsent(integration('late'));
      expect((await f.store.identity.getIntegration('p1'))!.secretsSealed).toBe(first);

      const outcomes = await Promise.all(
        ['a', 'b', 'c'].map((host) =>
          f.store.identity.saveIntegrationIfUnconfigured(
            integration(first!, `https://${host}.test/{id}`),
          ),
        ),
      );
      expect(createdOnce(outcomes)).toBe(1);
      const configured = (await f.store.identity.getIntegration('p1'))!.url;
      expect(
        await f.store.identity.saveIntegrationIfUnconfigured(
          integration(first!, 'https://z.test/{id}'),
        ),
      ).toBe(false);
      expect((await f.store.identity.getIntegration('p1'))!.url).toBe(configured);
    });

    it('keeps a mapping and the 404 behaviour, and records a health change once, with its event', async () => {
      const mapping: IntegrationMapping = {
        preset: 'custom',
        fields: { externalId: '/data/id', email: 'data.emails[0].email' },
        properties: [{ path: 'data.plan', property: 'plan' }],
        includeRemaining: false,
      };
      const health = (status: 'unknown' | 'healthy' | 'failing') => ({
        status,
        failingSince: status === 'failing' ? f.now : null,
        lastSuccessAt: null,
        lastError: null,
      });
      await f.store.identity.createIntegrationIfAbsent({
        projectId: 'p1',
        enabled: true,
        style: 'path',
        url: 'https://a.test/{id}',
        paramName: 'id',
        method: 'GET',
        headersSealed: null,
        freshnessSeconds: 60,
        requireVerified: true,
        mapping,
        onNotFound: 'clear',
        secretsSealed: null,
        health: health('healthy'),
        updatedAt: null,
      });
      expect(await f.store.identity.getIntegration('p1')).toMatchObject({
        mapping,
        onNotFound: 'clear',
      });

      await f.connectionsForEveryCaller();
      const event = (id: string) => ({
        id,
        projectId: 'p1',
        type: 'integration.health_changed',
        at: f.now,
        payload: { from: 'healthy', to: 'failing' },
      });
      const outcomes = await Promise.all(
        ['e1', 'e2', 'e3'].map((id) =>
          f.store.identity.changeHealth('p1', 'healthy', health('failing'), event(id)),
        ),
      );
      expect(createdOnce(outcomes)).toBe(1);
      expect((await f.store.identity.getIntegration('p1'))!.health.status).toBe('failing');
      const events = await f.store.events.listEvents('p1', { limit: 10 });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'integration.health_changed',
        payload: { from: 'healthy', to: 'failing' },
      });

      await f.store.events.appendEvent({ ...event('e9'), type: 'other', at: later(f.now) });
      expect((await f.store.events.listEvents('p1', { limit: 10 })).map((e) => e.type)).toEqual([
        'other',
        'integration.health_changed',
      ]);
      expect(await f.store.events.listEvents('p1', { type: 'other', limit: 10 })).toHaveLength(1);
    });
  });
}

const later = (iso: string) => new Date(Date.parse(iso) + 1000).toISOString();
