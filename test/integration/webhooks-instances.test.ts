import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDeliveryPage, WebhookSubscription } from '../../protocol/index.js';
import { AgentClient, readyVisitorSocket, sendAndAck, startSession } from '../support/clients.js';
import { startInstance, type Instance } from '../support/instances.js';
import { postgresUrlForTests, redisUrlForTests, runSql } from '../support/services.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const pgUrl = await postgresUrlForTests();
const redisUrl = await redisUrlForTests();
const ADMIN = { email: 'admin@hooks.test', password: 'hooks-instances-password' };
const HOOKS = '/api/admin/projects/demo/webhooks';

/** The environment of instances that may call a receiver on 127.0.0.1 over http. */
const baseEnv = (dataDir: string) => ({
  PALAVER_DATA_DIR: dataDir,
  PALAVER_SECRET_KEY: randomBytes(32).toString('hex'),
  PALAVER_ADMIN_EMAIL: ADMIN.email,
  PALAVER_ADMIN_PASSWORD: ADMIN.password,
  PALAVER_ALLOW_HTTP_ENDPOINTS: 'true',
  PALAVER_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
});

/**
 * A visitor of the demo project on `instance` sends `count` messages; resolves once all are
 * acked. `site` is the origin the demo project allows (the public URL of the instance that made it).
 */
async function chat(instance: Instance, count: number, tag: string, site = instance.url) {
  const session = await startSession(instance.url, { projectId: 'demo' }, site);
  expect(session.status).toBe(201);
  const socket = await readyVisitorSocket(
    instance.url.replace(/^http/, 'ws'),
    session.body.visitorToken,
    { origin: site },
  );
  for (let i = 0; i < count; i++) {
    await sendAndAck(socket, { clientMessageId: `${tag}-${i}`, body: `${tag} ${i}` });
  }
  socket.close();
}

async function subscribe(admin: AgentClient, url: string): Promise<WebhookSubscription> {
  const created = await admin.request<WebhookSubscription>('POST', HOOKS, {
    url,
    events: ['message.created'],
  });
  expect(created.status).toBe(201);
  return created.body;
}

async function allDelivered(admin: AgentClient, webhookId: string, count: number) {
  await expect
    .poll(
      async () => {
        const page = await admin.request<WebhookDeliveryPage>(
          'GET',
          `${HOOKS}/${webhookId}/deliveries?limit=100`,
        );
        return page.body.items.filter((d) => d.status === 'delivered').length;
      },
      { timeout: 30_000, interval: 200 },
    )
    .toBe(count);
}

const distinct = (receiver: WebhookReceiver) => new Set(receiver.received.map((h) => h.eventId));

describe.runIf(pgUrl && redisUrl)('webhooks from two instances on PostgreSQL and Redis', () => {
  const database = `palaver_hooks_${randomBytes(5).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'palaver-hooks-'));
  let a: Instance;
  let b: Instance;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    await runSql(pgUrl!, `CREATE DATABASE ${database}`);
    const url = new URL(pgUrl!);
    url.pathname = `/${database}`;
    const env = {
      ...baseEnv(dataDir),
      DATABASE_URL: url.toString(),
      REDIS_URL: redisUrl!,
      PALAVER_REDIS_PREFIX: `palaver-hooks-${randomBytes(4).toString('hex')}:`,
    };
    a = await startInstance(env);
    b = await startInstance(env);
    receiver = await WebhookReceiver.start();
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), receiver?.close()]);
    await runSql(pgUrl!, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers each event exactly once, whichever instance wrote it', async () => {
    const admin = await AgentClient.login(a.url, ADMIN.email, ADMIN.password);
    const webhook = await subscribe(admin, receiver.url);
    // Both instances write events and both dispatch: B hears of the subscription over Redis.
    await Promise.all([chat(a, 20, 'on-a'), chat(b, 20, 'on-b', a.url), chat(a, 10, 'a2')]);
    await allDelivered(admin, webhook.id, 50);
    expect(distinct(receiver).size).toBe(50);
    expect(receiver.received).toHaveLength(50);
  }, 60_000);
});

describe('webhooks across a crash (SIGKILL) of the server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'palaver-hooks-kill-'));
  const env = baseEnv(dataDir);
  let instance: Instance;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    instance = await startInstance(env);
    receiver = await WebhookReceiver.start();
  }, 60_000);

  afterAll(async () => {
    await Promise.all([instance?.stop(), receiver?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every pending event after a restart: none lost, none processed twice', async () => {
    const admin = await AgentClient.login(instance.url, ADMIN.email, ADMIN.password);
    const webhook = await subscribe(admin, receiver.url);
    // The receiver holds the first requests open: they are in flight when the server dies.
    receiver.answer = () => 'hang';
    await chat(instance, 12, 'before');
    await receiver.until((hooks) => hooks.length > 0 || undefined);
    await instance.stop('SIGKILL');

    const processed = new Map<string, number>();
    receiver.answer = (hook) => {
      // A receiver that de-duplicates by event id: a repeat is acknowledged, not processed.
      processed.set(hook.eventId, (processed.get(hook.eventId) ?? 0) + 1);
      return { status: 200 };
    };
    instance = await startInstance(env);
    const again = await AgentClient.login(instance.url, ADMIN.email, ADMIN.password);
    await allDelivered(again, webhook.id, 12);
    expect(processed.size).toBe(12);
    expect(distinct(receiver).size).toBe(12);
    // After the restart each event went out once: the ones in flight at the crash again (their
    // lease ran out), the rest for the first time; none was sent twice by the new process.
    expect([...processed].filter(([, times]) => times > 1)).toEqual([]);
  }, 60_000);
});
