import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp, type PalaverApp } from '../../server/app.js';
import { parseAllowList } from '../../server/outbound/index.js';
import { createLogger } from '../../server/logger.js';
import { distDir } from '../../server/paths.js';
import { InProcessBus, type Bus } from '../../server/realtime/index.js';
import { RedisBus } from '../../server/realtime/redis-bus.js';
import { createServices, type Services } from '../../server/services.js';
import { openPostgresStore, openSqliteStore } from '../../server/store/index.js';
import {
  AgentClient,
  rawRequest,
  readyVisitorSocket,
  sendAndAck,
  startSession,
} from '../support/clients.js';
import { CuttableProxy, DedicatedRedis } from '../support/outage.js';
import { postgresUrlForTests, redisUrlForTests, runSql } from '../support/services.js';

const pgUrl = await postgresUrlForTests();
const redisAvailable = await redisUrlForTests();
const ORIGIN = 'http://shop.test';
const ADMIN = { email: 'admin@degraded.test', password: 'degraded-password-1' };

interface Harness {
  url: string;
  services: Services;
  lines: string[];
  palaver: PalaverApp;
}

async function serve(
  store: Services['store'],
  bus: Bus,
  options: { loginRateLimit?: number } = {},
): Promise<Harness> {
  const lines: string[] = [];
  const services = createServices({
    store,
    bus,
    logger: createLogger('info', { write: (line: string) => void lines.push(line) }),
    secretKey: randomBytes(32),
    identity: { allowHttp: true, allowedPrivateHosts: parseAllowList('') },
  });
  if (!(await store.projects.get('shop'))) {
    await services.projects.create({ id: 'shop', name: 'Shop', allowedOrigins: [ORIGIN] });
    await services.agents.create({ ...ADMIN, name: 'Ada', role: 'admin', projectIds: ['shop'] });
  }
  const palaver = createApp(services, {
    publicUrl: 'http://palaver.test',
    trustProxy: false,
    loginRateLimit: options.loginRateLimit ?? 1000,
    distDir: distDir(),
  });
  await new Promise<void>((resolve) => palaver.server.listen(0, '127.0.0.1', resolve));
  const { port } = palaver.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, services, lines, palaver };
}

const ws = (h: Harness) => h.url.replace(/^http/, 'ws');

/** A PostgreSQL store (its own schema) reached through a relay the test can cut. */
async function postgresBehindProxy(schema: string, timeoutMs?: number) {
  const target = new URL(pgUrl!);
  const proxy = new CuttableProxy(target.hostname, Number(target.port || 5432));
  await proxy.up();
  const viaProxy = new URL(pgUrl!);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  const store = await openPostgresStore(viaProxy.toString(), {
    schema,
    poolSize: 4,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  return { proxy, store };
}

const dropSchema = (schema: string) => runSql(pgUrl!, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);

describe.runIf(redisAvailable)('when Redis goes away', () => {
  const redis = new DedicatedRedis();
  const busLines: string[] = [];
  let h: Harness;

  beforeAll(async () => {
    await redis.start();
    const store = await openSqliteStore(':memory:');
    const logger = createLogger('info', { write: (line: string) => void busLines.push(line) });
    h = await serve(store, new RedisBus(redis.url, logger, 'palaver-degraded:'));
  });
  afterAll(async () => {
    await h?.palaver.close();
    await redis.stop();
  });

  test('messages are still stored, acknowledged and delivered on this instance; readiness says degraded', async () => {
    // A bus of its own whose logger the test reads.
    const bus = h.services.bus as RedisBus;
    await expect.poll(() => bus.healthy()).toBe(true);
    const agent = await AgentClient.login(h.url, ADMIN.email, ADMIN.password);
    const agentSocket = await agent.readySocket();
    const session = await startSession(h.url, { projectId: 'shop' }, ORIGIN);
    const visitor = await readyVisitorSocket(ws(h), session.body.visitorToken, { origin: ORIGIN });
    await sendAndAck(visitor, { clientMessageId: 'before', body: 'before the outage' });

    await redis.stop();
    await expect.poll(() => bus.healthy()).toBe(false);
    const during = await sendAndAck(visitor, {
      clientMessageId: 'during',
      body: 'during the outage',
    });
    expect(during.seq).toBe(2);
    await agentSocket.next((f) => f.type === 'message' && f.message.body === 'during the outage');
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { database: 'ok', bus: 'degraded' } });

    await redis.start();
    await expect.poll(() => bus.healthy(), { timeout: 15_000 }).toBe(true);
    expect(await (await fetch(`${h.url}/readyz`)).json()).toMatchObject({ checks: { bus: 'ok' } });
    // Other instances may have missed events meanwhile: every client is asked to reconnect and
    // resume, which replays what it missed from the database.
    expect((await visitor.closedWith()).code).toBe(1012);
    expect((await agentSocket.closedWith()).code).toBe(1012);
    expect(busLines.some((line) => line.includes('redis unavailable'))).toBe(true);
    expect(busLines.some((line) => line.includes('redis is back'))).toBe(true);
  }, 30_000);
});

describe.runIf(pgUrl)('when PostgreSQL goes away', () => {
  const schema = `palaver_degraded_${randomBytes(5).toString('hex')}`;
  let proxy: CuttableProxy;
  let h: Harness;

  beforeAll(async () => {
    let store: Services['store'];
    ({ proxy, store } = await postgresBehindProxy(schema));
    h = await serve(store, new InProcessBus(), { loginRateLimit: 3 });
  });
  afterAll(async () => {
    await h?.palaver.close();
    await proxy?.down();
    await dropSchema(schema);
  });

  test('sends are not acknowledged, readiness fails, the process stays up, and all resumes after', async () => {
    const session = await startSession(h.url, { projectId: 'shop' }, ORIGIN);
    const visitor = await readyVisitorSocket(ws(h), session.body.visitorToken, { origin: ORIGIN });
    await sendAndAck(visitor, { clientMessageId: 'one', body: 'first' });

    await proxy.down();
    const from = visitor.mark();
    visitor.send({ type: 'send', clientMessageId: 'two', body: 'during the outage' });
    const refusal = await visitor.next((f) => f.type === 'error' || f.type === 'ack', { from });
    expect(refusal).toMatchObject({ type: 'error', code: 'unavailable', clientMessageId: 'two' });
    expect((await fetch(`${h.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);

    await proxy.up();
    await expect
      .poll(async () => (await fetch(`${h.url}/readyz`)).status, { timeout: 15_000 })
      .toBe(200);
    // The widget keeps the message in its outbox and sends it again with the same id.
    const stored = await sendAndAck(visitor, { clientMessageId: 'two', body: 'during the outage' });
    expect(stored.seq).toBe(2);
    visitor.close();
  }, 30_000);

  test('every HTTP route answers 503 unavailable with Retry-After, and works again after', async () => {
    const agent = await AgentClient.login(h.url, ADMIN.email, ADMIN.password);
    const routes = {
      'session start': () => startSession(h.url, { projectId: 'shop' }, ORIGIN),
      'agent API': () => agent.request('GET', '/api/agent/conversations'),
      'admin API': () => agent.request('PATCH', '/api/admin/projects/shop', { name: 'Shop' }),
      login: () =>
        rawRequest(h.url, '/api/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(ADMIN),
        }),
    };

    await proxy.down();
    for (const [name, call] of Object.entries(routes)) {
      const answer = await call();
      expect({ name, status: answer.status, body: answer.body }).toMatchObject({
        name,
        status: 503,
        body: { error: { code: 'unavailable', message: expect.stringMatching(/try again/i) } },
      });
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // Sign-ins the server could not check are not failed attempts: retrying must not lock out.
    for (let attempt = 0; attempt < 4; attempt++) expect((await routes.login()).status).toBe(503);

    await proxy.up();
    for (const [name, call] of Object.entries(routes)) {
      const { status } = await call();
      expect({ name, ok: status >= 200 && status < 300 }).toEqual({ name, ok: true });
    }
  }, 30_000);
});

describe.runIf(pgUrl)('when PostgreSQL stops answering without refusing connections', () => {
  const schema = `palaver_silent_${randomBytes(5).toString('hex')}`;
  /** The store's database timeout in this suite, short so that the test is quick. */
  const TIMEOUT_MS = 1000;
  /** Past the timeout: the statement's own deadline, then the client's, plus a loaded machine's slack. */
  const FAILS_WITHIN_MS = TIMEOUT_MS + 1000 + 1500;
  let proxy: CuttableProxy;
  let h: Harness;

  beforeAll(async () => {
    let store: Services['store'];
    ({ proxy, store } = await postgresBehindProxy(schema, TIMEOUT_MS));
    h = await serve(store, new InProcessBus());
  });
  afterAll(async () => {
    await proxy?.down();
    await h?.palaver.close();
    await dropSchema(schema);
  });

  const sessionStarts = (n: number) =>
    Promise.all(
      Array.from({ length: n }, () => startSession(h.url, { projectId: 'shop' }, ORIGIN)),
    );

  test('a send and a session start fail with unavailable within the timeout, and no dead connection is reused after', async () => {
    // Every pooled connection in use once, so that all of them go silent with the network.
    expect((await sessionStarts(8)).map((a) => a.status)).toEqual(Array(8).fill(201));
    const session = await startSession(h.url, { projectId: 'shop' }, ORIGIN);
    const visitor = await readyVisitorSocket(ws(h), session.body.visitorToken, { origin: ORIGIN });
    await sendAndAck(visitor, { clientMessageId: 'one', body: 'first' });

    proxy.blackHole();
    let started = Date.now();
    const from = visitor.mark();
    visitor.send({ type: 'send', clientMessageId: 'two', body: 'into the void' });
    const refusal = await visitor.next((f) => f.type === 'error' || f.type === 'ack', {
      from,
      timeoutMs: 15_000,
    });
    expect(refusal).toMatchObject({ type: 'error', code: 'unavailable', clientMessageId: 'two' });
    expect(Date.now() - started).toBeLessThan(FAILS_WITHIN_MS);

    // The connections that went silent are not handed out again once the network is back.
    proxy.forward();
    expect((await sessionStarts(8)).map((a) => a.status)).toEqual(Array(8).fill(201));
    expect((await sendAndAck(visitor, { clientMessageId: 'two', body: 'into the void' })).seq).toBe(
      2,
    );

    proxy.blackHole();
    started = Date.now();
    const refused = await startSession(h.url, { projectId: 'shop' }, ORIGIN);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(Date.now() - started).toBeLessThan(FAILS_WITHIN_MS);

    proxy.forward();
    await expect
      .poll(async () => (await fetch(`${h.url}/readyz`)).status, { timeout: 15_000 })
      .toBe(200);
    expect((await sessionStarts(8)).map((a) => a.status)).toEqual(Array(8).fill(201));
    visitor.close();
  }, 60_000);
});

describe('when another process holds the SQLite database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palaver-busy-'));
  const file = join(dir, 'palaver.sqlite');
  let h: Harness;

  beforeAll(async () => {
    h = await serve(await openSqliteStore(file), new InProcessBus());
  });
  afterAll(async () => {
    await h?.palaver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a write that waits past the busy timeout answers 503 unavailable with Retry-After, and works after', async () => {
    const other = new BetterSqlite3(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      const refused = await startSession(h.url, { projectId: 'shop' }, ORIGIN);
      expect(refused).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    expect((await startSession(h.url, { projectId: 'shop' }, ORIGIN)).status).toBe(201);
  }, 30_000);
});
