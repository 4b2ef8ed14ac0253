import { randomBytes } from 'node:crypto';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp, type AppOptions, type PalaverApp } from '../../server/app.js';
import { parseAllowList } from '../../server/outbound/index.js';
import { createLogger } from '../../server/logger.js';
import { distDir } from '../../server/paths.js';
import { InProcessBus } from '../../server/realtime/index.js';
import { createServices, type Services } from '../../server/services.js';
import { openSqliteStore } from '../../server/store/index.js';
import { readyVisitorSocket, sendAndAck, startSession } from '../support/clients.js';

const ORIGIN = 'http://shop.test';
/** Short deadlines so that the test measures them in a second or two. */
const TIMEOUTS = { headersMs: 500, requestMs: 1200, keepAliveMs: 400 };
/** Node's own defaults: headers 60 s, whole request 300 s, checked every 30 s. */
const WELL_BEFORE_NODE_DEFAULTS_MS = 5000;

async function build(
  options: Partial<AppOptions> = {},
): Promise<{ url: string; palaver: PalaverApp }> {
  const services: Services = createServices({
    store: await openSqliteStore(':memory:'),
    bus: new InProcessBus(),
    logger: createLogger('silent'),
    secretKey: randomBytes(32),
    identity: { allowHttp: true, allowedPrivateHosts: parseAllowList('') },
  });
  await services.projects.create({ id: 'shop', name: 'Shop', allowedOrigins: [ORIGIN] });
  const palaver = createApp(services, {
    publicUrl: 'http://palaver.test',
    trustProxy: false,
    loginRateLimit: 1000,
    distDir: distDir(),
    ...options,
  });
  await new Promise<void>((resolve) => palaver.server.listen(0, '127.0.0.1', resolve));
  const { port } = palaver.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, palaver };
}

/** A raw TCP client: how long the server keeps it before closing, and what it said. */
function rawClient(url: string) {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const opened = Date.now();
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
  return {
    socket,
    opened,
    received: () => received,
    /** Milliseconds from `since` until the server closed the connection. */
    closedAfter: async (since = opened) => (await closed) - since,
  };
}

/** Writes `chunks` one by one every `everyMs` until the socket closes. */
function trickle(socket: Socket, chunks: () => string, everyMs: number): void {
  const timer = setInterval(() => {
    if (socket.destroyed) clearInterval(timer);
    else socket.write(chunks());
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

describe('HTTP server deadlines for slow and idle clients', () => {
  let server: { url: string; palaver: PalaverApp };

  beforeAll(async () => {
    server = await build({ httpTimeouts: TIMEOUTS });
  });
  afterAll(() => server?.palaver.close());

  test('a client sending its headers byte by byte is cut at the header deadline', async () => {
    const client = rawClient(server.url);
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: palaver.test\r\n');
    let n = 0;
    trickle(client.socket, () => `X-Slow-${n++}: y\r\n`, 100);
    const after = await client.closedAfter();
    expect(after).toBeGreaterThanOrEqual(TIMEOUTS.headersMs - 50);
    expect(after).toBeLessThan(TIMEOUTS.headersMs + 1000);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408/);
  }, 15_000);

  test('a client sending its body byte by byte is cut at the request deadline', async () => {
    const client = rawClient(server.url);
    client.socket.write(
      'POST /api/widget/sessions HTTP/1.1\r\nHost: palaver.test\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n',
    );
    trickle(client.socket, () => ' ', 100);
    const after = await client.closedAfter();
    expect(after).toBeGreaterThanOrEqual(TIMEOUTS.requestMs - 50);
    expect(after).toBeLessThan(WELL_BEFORE_NODE_DEFAULTS_MS);
  }, 15_000);

  test('an idle keep-alive connection is closed after the keep-alive deadline', async () => {
    const client = rawClient(server.url);
    client.socket.write(
      'GET /healthz HTTP/1.1\r\nHost: palaver.test\r\nConnection: keep-alive\r\n\r\n',
    );
    await expect.poll(() => client.received()).toMatch(/\r\n\r\n\{"status":"ok"\}$/);
    const answered = Date.now();
    const after = await client.closedAfter(answered);
    expect(after).toBeGreaterThanOrEqual(TIMEOUTS.keepAliveMs - 50);
    expect(after).toBeLessThan(TIMEOUTS.keepAliveMs + 1000);
  }, 15_000);

  test('a visitor socket stays open past every HTTP deadline once upgraded, and still chats', async () => {
    const session = await startSession(server.url, { projectId: 'shop' }, ORIGIN);
    const visitor = await readyVisitorSocket(
      server.url.replace(/^http/, 'ws'),
      session.body.visitorToken,
      { origin: ORIGIN },
    );
    const idleMs = TIMEOUTS.requestMs * 2;
    // Silence longer than every deadline: nothing to wait for but time itself.
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    expect(visitor.closed).toBeNull();
    expect((await sendAndAck(visitor, { clientMessageId: 'late', body: 'still here' })).seq).toBe(
      1,
    );
    visitor.close();
  }, 15_000);
});

describe('HTTP server deadlines by default', () => {
  test('are those of a chat server, far below Node’s', async () => {
    const { palaver } = await build();
    try {
      expect(palaver.server.headersTimeout).toBe(10_000);
      expect(palaver.server.requestTimeout).toBe(30_000);
      expect(palaver.server.keepAliveTimeout).toBe(65_000);
    } finally {
      await palaver.close();
    }
  });
});
