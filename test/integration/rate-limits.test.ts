import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, VisitorServerFrame } from '../../protocol/index.js';
import { createApp, type PalaverApp } from '../../server/app.js';
import { parseAllowList } from '../../server/outbound/index.js';
import { RedisLimitStore } from '../../server/limits/redis-store.js';
import { createLogger } from '../../server/logger.js';
import { distDir } from '../../server/paths.js';
import { InProcessBus } from '../../server/realtime/index.js';
import { createServices } from '../../server/services.js';
import { openSqliteStore } from '../../server/store/index.js';
import {
  FrameSocket,
  rawRequest,
  readyVisitorSocket,
  type HttpAnswer,
} from '../support/clients.js';
import { startConfigured, sharedDeployment, type ConfiguredServer } from '../support/configured.js';
import { ADMIN, SITE_ORIGIN } from '../support/server.js';
import { DedicatedRedis } from '../support/outage.js';
import { redisUrlForTests } from '../support/services.js';

type VisitorSocket = FrameSocket<VisitorServerFrame>;
/** Where a running Palaver answers. */
type Endpoint = Pick<ConfiguredServer, 'url' | 'wsUrl'>;
type ErrorFrame = Extract<VisitorServerFrame, { type: 'error' }> & { retryAfterMs?: number };

const redisUrl = await redisUrlForTests();

function signIn(
  server: Endpoint,
  password: string,
  headers: Record<string, string> = {},
): Promise<HttpAnswer<ErrorBody>> {
  return rawRequest(server.url, '/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email: ADMIN.email, password }),
  }) as Promise<HttpAnswer<ErrorBody>>;
}

function newSession(server: Endpoint, headers: Record<string, string> = {}) {
  return rawRequest(server.url, '/api/widget/sessions', {
    method: 'POST',
    headers: { 'content-type': 'text/plain', origin: SITE_ORIGIN, ...headers },
    body: JSON.stringify({ projectId: 'acme' }),
  });
}

/** A visitor socket opened through a proxy that says which client it forwards. */
async function socketVia(
  server: Endpoint,
  token: string,
  forwardedFor?: string,
): Promise<VisitorSocket> {
  const socket = await FrameSocket.open<VisitorServerFrame>(`${server.wsUrl}/ws/visitor`, {
    origin: SITE_ORIGIN,
    ...(forwardedFor ? { headers: { 'x-forwarded-for': forwardedFor } } : {}),
  });
  socket.send({ type: 'auth', token, resume: [] });
  await socket.next((f) => f.type === 'ready');
  return socket;
}

/** Sends `count` messages and waits for each one's answer: its ack or its error. */
async function sendMany(socket: VisitorSocket, prefix: string, count: number) {
  const from = socket.mark();
  for (let i = 0; i < count; i++) {
    socket.send({ type: 'send', clientMessageId: `${prefix}-${i}`, body: `message ${i}` });
  }
  const answers = await socket.many(
    count,
    (f) =>
      (f.type === 'ack' || f.type === 'error') &&
      (f as { clientMessageId?: string }).clientMessageId?.startsWith(`${prefix}-`) === true,
    { from },
  );
  return {
    acked: answers.filter((f) => f.type === 'ack').length,
    refused: answers.filter((f): f is ErrorFrame => f.type === 'error'),
  };
}

describe('rate limits of one instance', () => {
  const deployment = sharedDeployment();
  let server: ConfiguredServer;

  beforeAll(async () => {
    server = await startConfigured({
      ...deployment.env,
      PALAVER_LOGIN_RATE_LIMIT: '3',
      PALAVER_SESSION_RATE_LIMIT: '4',
      PALAVER_VISITOR_MESSAGE_RATE_LIMIT: '6',
      PALAVER_ADDRESS_MESSAGE_RATE_LIMIT: '10',
      TRUST_PROXY: '1',
    });
  });
  afterAll(async () => {
    await server?.close();
    deployment.remove();
  });

  it('counts failed sign-ins per client behind the proxy, whatever the client writes leftmost in X-Forwarded-For', async () => {
    const client = '203.0.113.9';
    for (let i = 0; i < 3; i++) {
      const failed = await signIn(server, 'wrong-password', {
        'x-forwarded-for': `198.51.100.${i}, ${client}`,
      });
      expect(failed.status).toBe(401);
    }
    const blocked = await signIn(server, ADMIN.password, {
      'x-forwarded-for': `198.51.100.77, ${client}`,
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another client behind the same proxy is not affected.
    const other = await signIn(server, ADMIN.password, {
      'x-forwarded-for': `198.51.100.77, 203.0.113.10`,
    });
    expect(other.status).toBe(200);
  });

  it('states the sign-in policy and what is left in the standard headers', async () => {
    const answer = await signIn(server, 'wrong-password', { 'x-forwarded-for': '203.0.113.20' });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('ratelimit-policy')).toMatch(/^"sign-in"; q=3; w=900; pk=:.+:$/);
    expect(answer.headers.get('ratelimit')).toMatch(/^"sign-in"; r=2; t=\d+$/);
  });

  it('limits new visitor sessions per client address, and says when to retry', async () => {
    const client = { 'x-forwarded-for': '203.0.113.30' };
    const first = await newSession(server, client);
    expect(first.status).toBe(201);
    const token = (first.body as { visitorToken: string }).visitorToken;
    // Resuming an existing visitor (every page view does) creates nothing and is not counted.
    for (let i = 0; i < 6; i++) {
      const resumed = await rawRequest(server.url, '/api/widget/sessions', {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin: SITE_ORIGIN, ...client },
        body: JSON.stringify({ projectId: 'acme', visitorToken: token }),
      });
      expect(resumed.status).toBe(200);
    }
    // Anonymous, claimed and lost-token starts all create a visitor.
    const kinds = [
      { projectId: 'acme' },
      { projectId: 'acme', externalUserId: 'u-42' },
      { projectId: 'acme', visitorToken: randomBytes(24).toString('base64url') },
    ];
    for (const input of kinds) {
      const started = await rawRequest(server.url, '/api/widget/sessions', {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin: SITE_ORIGIN, ...client },
        body: JSON.stringify(input),
      });
      expect(started.status).toBe(201);
    }
    const refused = await newSession(server, client);
    expect(refused.status).toBe(429);
    expect((refused.body as ErrorBody).error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit-policy')).toMatch(/^"sessions"; q=4; w=600;/);
    // The widget reads these cross-origin.
    expect(refused.headers.get('access-control-expose-headers')).toMatch(/Retry-After/i);
    // Another address still starts sessions.
    expect((await newSession(server, { 'x-forwarded-for': '203.0.113.31' })).status).toBe(201);
  });

  it('limits one visitor across all their sockets: five sockets together send no more than the limit', async () => {
    const client = '203.0.113.40';
    const started = await newSession(server, { 'x-forwarded-for': client });
    const token = (started.body as { visitorToken: string }).visitorToken;
    const sockets = await Promise.all(
      [0, 1, 2, 3, 4].map(() => socketVia(server, token, `${client}`)),
    );
    const results = await Promise.all(sockets.map((s, i) => sendMany(s, `five-${i}`, 4)));
    const acked = results.reduce((n, r) => n + r.acked, 0);
    expect(acked).toBe(6);
    const refused = results.flatMap((r) => r.refused);
    expect(refused).toHaveLength(14);
    for (const error of refused) {
      expect(error.code).toBe('rate_limited');
      expect(error.retryAfterMs).toBeGreaterThan(0);
      expect(error.message).toMatch(/wait/i);
    }
    for (const socket of sockets) {
      expect(socket.closed).toBeNull();
      socket.close();
    }
  });

  it('limits messages per client address across visitors, with the address the trusted proxy saw', async () => {
    const client = '203.0.113.50';
    const visitors = await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const started = await newSession(server, { 'x-forwarded-for': `10.9.9.${i}, ${client}` });
        const token = (started.body as { visitorToken: string }).visitorToken;
        // Each socket writes a different leftmost address; the proxy's entry is what counts.
        return socketVia(server, token, `192.0.2.${i}, ${client}`);
      }),
    );
    const results = await Promise.all(visitors.map((s, i) => sendMany(s, `nat-${i}`, 4)));
    expect(results.reduce((n, r) => n + r.acked, 0)).toBe(10);
    // A visitor at another address is not affected.
    const elsewhere = await newSession(server, { 'x-forwarded-for': '203.0.113.51' });
    const socket = await socketVia(
      server,
      (elsewhere.body as { visitorToken: string }).visitorToken,
      '203.0.113.51',
    );
    expect((await sendMany(socket, 'elsewhere', 2)).acked).toBe(2);
    for (const s of [...visitors, socket]) s.close();
  });
});

describe.runIf(redisUrl)('rate limits shared by two instances through Redis', () => {
  const deployment = sharedDeployment();
  let a: ConfiguredServer;
  let b: ConfiguredServer;

  beforeAll(async () => {
    const env = {
      ...deployment.env,
      REDIS_URL: redisUrl!,
      PALAVER_REDIS_PREFIX: `palaver-limits-${randomBytes(4).toString('hex')}:`,
      PALAVER_LOGIN_RATE_LIMIT: '4',
      PALAVER_SESSION_RATE_LIMIT: '3',
      PALAVER_VISITOR_MESSAGE_RATE_LIMIT: '6',
    };
    a = await startConfigured(env);
    b = await startConfigured(env);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    deployment.remove();
  });

  it('counts failed sign-ins spread over both instances together', async () => {
    for (const server of [a, b, a, b]) {
      expect((await signIn(server, 'wrong-password')).status).toBe(401);
    }
    expect((await signIn(a, ADMIN.password)).status).toBe(429);
    expect((await signIn(b, ADMIN.password)).status).toBe(429);
  });

  it('counts new sessions from one address on both instances together', async () => {
    expect((await newSession(a)).status).toBe(201);
    expect((await newSession(b)).status).toBe(201);
    expect((await newSession(a)).status).toBe(201);
    expect((await newSession(b)).status).toBe(429);
  });

  it("limits one visitor's messages sent on sockets to both instances together", async () => {
    // The session limit of this address is spent; resuming is still possible, so start the
    // visitor through a resume of a token made directly in the store.
    const session = await a.running.services.visitors.start(
      (await a.running.services.store.projects.get('acme'))!,
      { projectId: 'acme' },
      { userAgent: null, now: new Date() },
    );
    const sockets = [
      await readyVisitorSocket(a.wsUrl, session.token),
      await readyVisitorSocket(b.wsUrl, session.token),
      await readyVisitorSocket(a.wsUrl, session.token),
      await readyVisitorSocket(b.wsUrl, session.token),
    ];
    const results = await Promise.all(sockets.map((s, i) => sendMany(s, `two-${i}`, 3)));
    expect(results.reduce((n, r) => n + r.acked, 0)).toBe(6);
    for (const s of sockets) s.close();
  });
});

describe.runIf(redisUrl)('rate limits while Redis is away', () => {
  const redis = new DedicatedRedis();
  const lines: string[] = [];
  let palaver: PalaverApp;
  let server: Endpoint;

  beforeAll(async () => {
    await redis.start();
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    const services = createServices({
      store: await openSqliteStore(':memory:'),
      bus: new InProcessBus(),
      logger,
      secretKey: randomBytes(32),
      identity: { allowHttp: true, allowedPrivateHosts: parseAllowList('') },
      limitStore: new RedisLimitStore(redis.url, 'palaver-outage:', logger),
    });
    await services.projects.create({ id: 'acme', name: 'Acme', allowedOrigins: [SITE_ORIGIN] });
    await services.agents.create({ ...ADMIN, name: 'Ada', role: 'admin', projectIds: ['acme'] });
    palaver = createApp(services, {
      publicUrl: 'http://palaver.test',
      trustProxy: false,
      loginRateLimit: 3,
      rateLimits: {
        sessionsPerAddress: 100,
        messagesPerVisitor: 4,
        messagesPerAddress: 100,
        requestsPerApiKey: 100,
      },
      distDir: distDir(),
    });
    await new Promise<void>((resolve) => palaver.server.listen(0, '127.0.0.1', resolve));
    const { port } = palaver.server.address() as AddressInfo;
    server = { url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}` };
  });
  afterAll(async () => {
    await palaver?.close();
    await redis.stop();
  });

  it('each instance goes on counting on its own: requests are limited, never failed, and the log says so once', async () => {
    // Shared counting works while Redis is up.
    expect((await signIn(server, 'wrong-password')).status).toBe(401);
    await redis.stop();
    await expect
      .poll(() => lines.filter((l) => l.includes('redis unavailable for rate limits')).length)
      .toBe(1);

    for (let i = 0; i < 3; i++) expect((await signIn(server, 'wrong-password')).status).toBe(401);
    expect((await signIn(server, ADMIN.password)).status).toBe(429);

    const started = await newSession(server);
    expect(started.status).toBe(201);
    const socket = await socketVia(server, (started.body as { visitorToken: string }).visitorToken);
    const sent = await sendMany(socket, 'outage', 6);
    expect(sent.acked).toBe(4);
    expect(sent.refused.map((f) => f.code)).toEqual(['rate_limited', 'rate_limited']);
    socket.close();

    // However many requests met the outage, it is logged once; and once again when it ends.
    expect(lines.filter((l) => l.includes('redis unavailable for rate limits'))).toHaveLength(1);
    await redis.start();
    await expect
      .poll(() => lines.some((l) => l.includes('rate limits are shared by all instances again')), {
        timeout: 15_000,
      })
      .toBe(true);
  }, 30_000);
});
