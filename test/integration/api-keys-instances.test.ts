import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApiKey, Problem } from '../../protocol/index.js';
import { AgentClient, rawRequest, startConversation, type HttpAnswer } from '../support/clients.js';
import { startConfigured, sharedDeployment, type ConfiguredServer } from '../support/configured.js';
import { ADMIN } from '../support/server.js';
import { postgresUrlForTests, redisUrlForTests, runSql } from '../support/services.js';

const pgUrl = await postgresUrlForTests();
const redisUrl = await redisUrlForTests();

function project(server: ConfiguredServer, secret: string): Promise<HttpAnswer<Problem>> {
  return rawRequest(server.url, '/api/v1/project', {
    headers: { authorization: `Bearer ${secret}` },
  }) as Promise<HttpAnswer<Problem>>;
}

describe.runIf(pgUrl && redisUrl)(
  'API keys and contacts on two instances sharing PostgreSQL and Redis',
  () => {
    const database = `palaver_keys_${randomBytes(5).toString('hex')}`;
    const deployment = sharedDeployment();
    let a: ConfiguredServer;
    let b: ConfiguredServer;
    let admin: AgentClient;

    beforeAll(async () => {
      await runSql(pgUrl!, `CREATE DATABASE ${database}`);
      const url = new URL(pgUrl!);
      url.pathname = `/${database}`;
      const env = {
        ...deployment.env,
        DATABASE_URL: url.toString(),
        REDIS_URL: redisUrl!,
        PALAVER_REDIS_PREFIX: `palaver-keys-${randomBytes(4).toString('hex')}:`,
        PALAVER_API_KEY_RATE_LIMIT: '5',
      };
      a = await startConfigured(env);
      b = await startConfigured(env);
      admin = await AgentClient.login(a.url, ADMIN.email, ADMIN.password);
    }, 30_000);

    afterAll(async () => {
      await Promise.all([a?.close(), b?.close()]);
      await runSql(pgUrl!, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      deployment.remove();
    });

    async function createKey(): Promise<CreatedApiKey> {
      const created = await admin.request<CreatedApiKey>(
        'POST',
        '/api/admin/projects/acme/api-keys',
        {
          label: 'Sync',
          roles: ['contacts:read'],
        },
      );
      expect(created.status).toBe(201);
      return created.body;
    }

    it('refuses a key on the other instance right after it was revoked', async () => {
      const { apiKey, secret } = await createKey();
      expect((await project(b, secret)).status).toBe(200);
      const revoked = await admin.request(
        'DELETE',
        `/api/admin/projects/acme/api-keys/${apiKey.id}`,
      );
      expect(revoked.status).toBe(200);
      const refused = await project(b, secret);
      expect(refused.status).toBe(401);
      expect(refused.body.type).toBe('urn:palaver:problem:api-key-revoked');
    });

    it('counts a key’s requests on both instances together', async () => {
      const { secret } = await createKey();
      for (const server of [a, b, a, b, a])
        expect((await project(server, secret)).status).toBe(200);
      for (const server of [b, a]) {
        const refused = await project(server, secret);
        expect(refused.status).toBe(429);
        expect(refused.body.type).toBe('urn:palaver:problem:rate-limited');
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(refused.headers.get('ratelimit-policy')).toMatch(/^"api-key"; q=5; w=60;/);
        expect(refused.headers.get('ratelimit')).toMatch(/^"api-key"; r=0; t=\d+$/);
      }
      // A fresh key of the same project still gets through.
      expect((await project(b, (await createKey()).secret)).status).toBe(200);
    });

    it('shows a merge made through one instance live to an agent connected to the other', async () => {
      const { secret } = await admin
        .request<CreatedApiKey>('POST', '/api/admin/projects/acme/api-keys', {
          label: 'CRM',
          roles: ['contacts:write'],
        })
        .then((answer) => answer.body);
      const push = (server: ConfiguredServer, method: string, path: string, body: unknown) =>
        rawRequest(server.url, `/api/v1${path}`, {
          method,
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      // The project lets visitors name themselves, so the visitor needs no signed proof here.
      await admin.request('PATCH', '/api/admin/projects/acme/integration', {
        requireVerified: false,
      });
      await push(a, 'PUT', '/contacts/lee', { name: 'Lee Primary', email: 'lee@example.com' });
      const old = await startConversation(b, { session: { externalUserId: 'lee-old' } });
      const onB = await AgentClient.login(b.url, ADMIN.email, ADMIN.password);
      const socket = await onB.readySocket();
      try {
        const from = socket.mark();
        const merged = await push(a, 'POST', '/contacts/lee/merge', { fromExternalId: 'lee-old' });
        expect(merged.status).toBe(200);
        await socket.next(
          (f) => f.type === 'visitor' && f.conversationIds.includes(old.conversationId),
          { from },
        );
        const profile = await socket.next(
          (f) => f.type === 'profile' && f.conversationIds.includes(old.conversationId),
          { from },
        );
        expect(profile.type === 'profile' && profile.visitorLabel).toBe('Lee Primary');
        expect(profile.type === 'profile' && profile.contact.profile?.email).toBe(
          'lee@example.com',
        );
      } finally {
        socket.close();
        old.socket.close();
      }
    });
  },
);
