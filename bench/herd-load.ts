/**
 * The load side of bench/herd.ts, meant to run pinned to its own core
 * (`taskset -c 0 node --import tsx bench/herd-load.ts <result.json> [--quick]`). It starts the
 * Palaver server (the `npm start` entry) and the bare `ws` echo server pinned to core 1, and plays
 * two reconnect herds against them, polling the health checks all along:
 *
 * - restart: every visitor socket of an instance that went away reconnects within the widget's
 *   first backoff window (0–500 ms), authenticates and resumes; the same client against the echo
 *   server (connect, one frame echoed) is the bare baseline;
 * - resync: Redis goes away and comes back, and the instance asks every socket to reconnect.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import {
  cpuSeconds,
  freePort,
  hasTaskset,
  pool,
  ROOT,
  sleep,
  spawnPinned,
  UNLIMITED_RATES,
} from './processes.js';
import { DedicatedRedis } from '../test/support/outage.js';
import { summarize } from './types.js';

const ENTRY = join(ROOT, 'dist', 'node', 'demo', 'main.js');
const ECHO = join(import.meta.dirname, 'echo-server.ts');
const ADMIN = { email: 'herd@palaver.test', password: 'herd-password-1234' };
/** The widget's first reconnect waits a random 0–500 ms (widget/transport/backoff.ts). */
const FIRST_BACKOFF_MS = 500;
const HEALTH_EVERY_MS = 50;

export interface HerdPlan {
  quick: boolean;
  sockets: number;
}

export interface Latency {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

export interface HerdResult {
  /** From the moment a client starts (re)connecting to its `ready` (or its echo). */
  handshake: Latency;
  /** From the first connect to the last socket ready. */
  allReadyMs: number;
  failed: number;
  firstError: string | null;
  /** Health checks polled every 50 ms on new connections during the herd. */
  healthz: Latency;
  readyz: Latency | null;
  serverCpuPercent: number;
}

export interface HerdReport {
  plan: HerdPlan;
  pinned: boolean;
  restart: { ours: HerdResult; echo: HerdResult };
  /** Null when redis-server is not installed. */
  resync: HerdResult | null;
  elapsedSeconds: number;
}

function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
  return {
    p50: summarize(samples).p50,
    p95: at(0.95),
    max: sorted.at(-1) ?? NaN,
    n: sorted.length,
  };
}

/**
 * The health checker, a process of its own pinned beside the server, as a load balancer is a
 * machine of its own: on the load generator's core its answers would wait behind the herd's
 * thousands of client sockets, and that would be counted as the server's delay. Every `everyMs`
 * it GETs each path on a new connection until SIGTERM, then prints the latencies (ms) per path.
 */
const HEALTH_POLLER = `
const { request } = require('node:http');
const { base, paths, everyMs } = JSON.parse(process.argv[1]);
const samples = Object.fromEntries(paths.map((p) => [p, []]));
let running = true;
process.once('SIGTERM', () => { running = false; });
const probe = (path) => new Promise((resolve) => {
  const started = performance.now();
  const req = request(base + path, { agent: false }, (res) => {
    res.resume();
    res.once('end', () => resolve(performance.now() - started));
  });
  req.once('error', () => resolve(performance.now() - started));
  req.end();
});
console.log('poller ready');
(async () => {
  while (running) {
    const tick = performance.now();
    await Promise.all(paths.map(async (p) => samples[p].push(await probe(p))));
    await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (performance.now() - tick))));
  }
  console.log('samples ' + JSON.stringify(samples));
})();
`;

/** Polls the health checks until `stop()`; returns their latencies. */
async function pollHealth(base: string, paths: string[]) {
  const config = JSON.stringify({ base, paths, everyMs: HEALTH_EVERY_MS });
  const poller = await spawnPinned(['-e', HEALTH_POLLER, config], {}, /poller ready/);
  return async () => {
    // 'close' comes after the last output was read.
    const closed = new Promise((resolve) => poller.child.once('close', resolve));
    await poller.stop();
    await closed;
    const line = poller.output.find((l) => l.startsWith('samples ')) ?? 'samples {}';
    return new Map(
      Object.entries(JSON.parse(line.slice('samples '.length)) as Record<string, number[]>),
    );
  };
}

interface Visitor {
  token: string;
  resume: Array<{ conversationId: string; afterSeq: number }>;
}

/**
 * Opens a socket and resolves at its `ready` (first frame answered, for the echo server), with
 * the time it took. `onClose` hears the close code of the socket after that.
 */
function connect(
  url: string,
  origin: string,
  first: string,
  readyPrefix: string,
  onClose?: (code: number) => void,
): Promise<{ ws: WebSocket; ms: number }> {
  const started = performance.now();
  const ws = new WebSocket(url, { origin, perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    let ready = false;
    ws.once('open', () => ws.send(first));
    ws.on('message', (data: Buffer) => {
      if (ready || !data.toString().startsWith(readyPrefix)) return;
      ready = true;
      resolve({ ws, ms: performance.now() - started });
    });
    ws.once('error', (error) => {
      if (!ready) reject(error);
    });
    ws.once('close', (code) => {
      if (!ready) reject(new Error(`closed with ${code} before ready`));
      else onClose?.(code);
    });
  });
}

/** The restart herd: every socket connects at a random moment of the widget's first backoff. */
async function herd(
  count: number,
  open: (i: number) => Promise<{ ws: WebSocket; ms: number }>,
): Promise<{ sockets: WebSocket[]; ms: number[]; failed: number; firstError: string | null }> {
  const sockets: WebSocket[] = [];
  const ms: number[] = [];
  let failed = 0;
  let firstError: string | null = null;
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      await sleep(Math.random() * FIRST_BACKOFF_MS);
      try {
        const opened = await open(i);
        sockets.push(opened.ws);
        ms.push(opened.ms);
      } catch (error) {
        failed++;
        firstError ??= String(error);
      }
    }),
  );
  return { sockets, ms, failed, firstError };
}

async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.terminate();
        }),
    ),
  );
}

const hasRedisServer = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].some(existsSync);

async function startPalaver(dataDir: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await spawnPinned(
    [ENTRY],
    {
      PALAVER_DATA_DIR: dataDir,
      PALAVER_SECRET_KEY: randomBytes(32).toString('hex'),
      PALAVER_ADMIN_EMAIL: ADMIN.email,
      PALAVER_ADMIN_PASSWORD: ADMIN.password,
      ...UNLIMITED_RATES,
      LOG_LEVEL: 'warn',
      PORT: String(port),
      PUBLIC_URL: base,
      ...env,
    },
    /Palaver is running/,
  );
  return { server, base, ws: `ws://127.0.0.1:${port}/ws/visitor` };
}

/** Visitor sessions; every other one has a conversation with one message, which it resumes. */
async function prepareVisitors(base: string, wsUrl: string, count: number): Promise<Visitor[]> {
  return pool(0, count, 50, async (i) => {
    const response = await fetch(`${base}/api/widget/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: base },
      body: JSON.stringify({ projectId: 'demo' }),
    });
    const body = (await response.json()) as { visitorToken?: string };
    if (!body.visitorToken) throw new Error(`session start: ${response.status}`);
    const visitor: Visitor = { token: body.visitorToken, resume: [] };
    if (i % 2 === 1) return visitor;
    const { ws } = await connect(wsUrl, base, auth(visitor), '{"type":"ready"');
    const ack = await new Promise<{ conversationId: string; seq: number }>((resolve) => {
      ws.on('message', (data: Buffer) => {
        const text = data.toString();
        if (text.startsWith('{"type":"ack"'))
          resolve(
            (JSON.parse(text) as { message: { conversationId: string; seq: number } }).message,
          );
      });
      ws.send(JSON.stringify({ type: 'send', clientMessageId: `h${i}`, body: 'Hello' }));
    });
    visitor.resume = [{ conversationId: ack.conversationId, afterSeq: ack.seq }];
    await closeAll([ws]);
    return visitor;
  });
}

const auth = (v: Visitor) => JSON.stringify({ type: 'auth', token: v.token, resume: v.resume });

function cpuMeter(pid: number): () => number {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  return () => (100 * (cpuSeconds(pid) - cpu0)) / ((performance.now() - t0) / 1000);
}

async function restartHerd(
  base: string,
  pid: number,
  count: number,
  open: (i: number) => Promise<{ ws: WebSocket; ms: number }>,
  healthPaths: string[],
): Promise<HerdResult> {
  await sleep(500);
  const cpu = cpuMeter(pid);
  const stopHealth = await pollHealth(base, healthPaths);
  const started = performance.now();
  const result = await herd(count, open);
  const allReadyMs = performance.now() - started;
  const health = await stopHealth();
  const serverCpuPercent = cpu();
  await closeAll(result.sockets);
  return {
    handshake: latency(result.ms),
    allReadyMs,
    failed: result.failed,
    firstError: result.firstError,
    healthz: latency(health.get('/healthz') ?? []),
    readyz: health.has('/readyz') ? latency(health.get('/readyz')!) : null,
    serverCpuPercent,
  };
}

/**
 * The resync herd: all sockets connected, Redis dies and comes back; the instance closes every
 * socket (1012) and each reconnects as the widget does (a random 0–500 ms later) and resumes.
 */
async function resyncHerd(count: number, log: (line: string) => void): Promise<HerdResult> {
  const redis = new DedicatedRedis();
  await redis.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'palaver-bench-herd-redis-'));
  const palaver = await startPalaver(dataDir, {
    REDIS_URL: redis.url,
  });
  try {
    const fresh = await prepareVisitors(palaver.base, palaver.ws, count);
    const reconnects: number[] = [];
    const live = new Set<WebSocket>();
    let failed = 0;
    let firstError: string | null = null;
    let lastReady = 0;
    let expected = 0;
    let done: () => void = () => undefined;
    const allBack = new Promise<void>((resolve) => (done = resolve));
    const keep = (ws: WebSocket) => {
      live.add(ws);
      ws.once('close', () => live.delete(ws));
    };
    const onClose = (v: Visitor) => (code: number) => {
      if (code !== 1012) return;
      const closedAt = performance.now();
      expected++;
      void sleep(Math.random() * FIRST_BACKOFF_MS)
        .then(() => connect(palaver.ws, palaver.base, auth(v), '{"type":"ready"', onClose(v)))
        .then(
          ({ ws }) => {
            keep(ws);
            lastReady = performance.now();
            reconnects.push(lastReady - closedAt);
          },
          (error: unknown) => {
            failed++;
            firstError ??= String(error);
          },
        )
        .finally(() => {
          if (reconnects.length + failed >= fresh.length) done();
        });
    };
    await pool(0, fresh.length, 100, async (i) => {
      const v = fresh[i]!;
      const { ws } = await connect(
        palaver.ws,
        palaver.base,
        auth(v),
        '{"type":"ready"',
        onClose(v),
      );
      keep(ws);
    });
    log(`resync: ${live.size} sockets connected; stopping Redis`);
    await redis.stop();
    const degraded = async () =>
      ((await (await fetch(`${palaver.base}/readyz`)).json()) as { checks: { bus: string } }).checks
        .bus;
    while ((await degraded()) === 'ok') await sleep(100);
    await sleep(500);
    const cpu = cpuMeter(palaver.server.pid);
    const stopHealth = await pollHealth(palaver.base, ['/healthz', '/readyz']);
    const started = performance.now();
    await redis.start();
    await Promise.race([allBack, sleep(60_000)]);
    const health = await stopHealth();
    const serverCpuPercent = cpu();
    log(`resync: ${reconnects.length}/${expected} back, ${failed} failed`);
    await closeAll([...live]);
    return {
      handshake: latency(reconnects),
      allReadyMs: lastReady - started,
      // Sockets that were not back within the minute count as failed too.
      failed: fresh.length - reconnects.length,
      firstError,
      healthz: latency(health.get('/healthz') ?? []),
      readyz: latency(health.get('/readyz') ?? []),
      serverCpuPercent,
    };
  } finally {
    await palaver.server.stop();
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runHerd(options: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<HerdReport> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first`);
  const plan: HerdPlan = { quick: options.quick, sockets: options.quick ? 300 : 1500 };
  const log = options.log;
  const runStarted = performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'palaver-bench-herd-'));
  const palaver = await startPalaver(dataDir);
  const echo = await spawnPinned(['--import', 'tsx', ECHO], { PORT: '0' }, /echo ready (\d+)/);
  const echoBase = `http://127.0.0.1:${echo.match[1]}`;
  try {
    const visitors = await prepareVisitors(palaver.base, palaver.ws, plan.sockets);
    log(`${visitors.length} visitors ready; restart herd`);
    const ours = await restartHerd(
      palaver.base,
      palaver.server.pid,
      plan.sockets,
      (i) => connect(palaver.ws, palaver.base, auth(visitors[i]!), '{"type":"ready"'),
      ['/healthz', '/readyz'],
    );
    const frame = (i: number) => auth(visitors[i]!);
    const bare = await restartHerd(
      echoBase,
      echo.pid,
      plan.sockets,
      (i) => connect(echoBase.replace(/^http/, 'ws'), palaver.base, frame(i), '{"type":"auth"'),
      ['/healthz'],
    );
    await palaver.server.stop();
    const resync = hasRedisServer ? await resyncHerd(plan.sockets, log) : null;
    return {
      plan,
      pinned: hasTaskset,
      restart: { ours, echo: bare },
      resync,
      elapsedSeconds: (performance.now() - runStarted) / 1000,
    };
  } finally {
    await Promise.all([palaver.server.stop(), echo.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { quick: { type: 'boolean', default: false } },
  });
  const out = positionals[0];
  if (!out) throw new Error('usage: herd-load.ts <result.json> [--quick]');
  const report = await runHerd({
    quick: values.quick,
    log: (line) => console.log(`bench herd: ${line}`),
  });
  writeFileSync(out, JSON.stringify(report, null, 2));
}
