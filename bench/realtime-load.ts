/**
 * The load side of bench/realtime.ts, meant to run pinned to its own core
 * (`taskset -c 0 node --import tsx bench/realtime-load.ts <result.json> [--quick] [--profile DIR]`).
 * It starts the Palaver server (the `npm start` entry, dist/node/demo/main.js) and the bare `ws`
 * echo server, each pinned to core 1, drives every phase, and writes the raw figures as JSON.
 *
 * Clients parse only what they measure (frame type by prefix, clientMessageId by index): the
 * client shares nothing with the server, but it is one event loop, and every microsecond it spends
 * per frame is added to the latencies it records.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
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
import { summarize } from './types.js';

const ENTRY = join(ROOT, 'dist', 'node', 'demo', 'main.js');
const ECHO = join(import.meta.dirname, 'echo-server.ts');
const ADMIN = { email: 'bench@palaver.test', password: 'bench-password-123' };
/** The server's per-socket limit is 5 frames/s (burst 40); closed-loop senders stay under it. */
const MAX_SEND_PER_SOCKET = 4.5;

export interface LoadPlan {
  quick: boolean;
  /** Round trip: visitor sockets × 1 msg/s for `seconds`. */
  roundTrip: { visitors: number; seconds: number; rate: number };
  /** Idle sockets for the memory figure and the widest broadcast. */
  idleSockets: number;
  broadcastSizes: number[];
  broadcastTrials: number;
  fanOutWatchers: number[];
  fanOutTrials: number;
  /** Closed-loop saturation: this many sockets, one message in flight each. */
  saturation: { sockets: number; seconds: number; warmupSeconds: number };
}

export function plan(quick: boolean): LoadPlan {
  return quick
    ? {
        quick,
        roundTrip: { visitors: 200, seconds: 3, rate: 1 },
        idleSockets: 1000,
        broadcastSizes: [1000],
        broadcastTrials: 3,
        fanOutWatchers: [10, 100],
        fanOutTrials: 5,
        saturation: { sockets: 1000, seconds: 3, warmupSeconds: 1 },
      }
    : {
        quick,
        roundTrip: { visitors: 1000, seconds: 20, rate: 1 },
        idleSockets: 5000,
        broadcastSizes: [1000, 5000],
        broadcastTrials: 10,
        fanOutWatchers: [10, 100],
        fanOutTrials: 20,
        saturation: { sockets: 5000, seconds: 8, warmupSeconds: 2 },
      };
}

export interface Latency {
  p50: number;
  p99: number;
  n: number;
  max: number;
}

export interface LoadReport {
  plan: LoadPlan;
  pinned: { server: boolean; load: boolean };
  roundTrip: {
    ours: PacedResult & { delivery: Latency; delivered: number };
    echo: PacedResult;
  };
  saturation: { ours: SaturationResult; echo: SaturationResult };
  fanOut: Array<{ watchers: number; trials: number; each: Latency; lastPerTrial: Latency }>;
  broadcast: Array<{
    sockets: number;
    trials: number;
    missing: number;
    each: Latency;
    lastPerTrial: Latency;
  }>;
  /** The same broadcasts from the bare ws server to as many sockets. */
  broadcastEcho: LoadReport['broadcast'];
  memory: {
    sockets: number;
    rssBefore: number;
    rssAfter: number;
    heapBefore: number | null;
    heapAfter: number | null;
    externalBefore: number | null;
    externalAfter: number | null;
  };
  sessions: { count: number; seconds: number };
  /**
   * CPU used by everything else on the machine during the run (% of one core, averaged): other
   * work on this 2-core machine skews every figure above.
   */
  otherCpuPercent: number;
  elapsedSeconds: number;
  profile: string | null;
}

interface PacedResult {
  sent: number;
  acknowledged: number;
  lost: number;
  errors: number;
  firstError: string | null;
  ack: Latency;
  throughputPerSecond: number;
  /** Server process CPU time over the phase, in % of one core. */
  serverCpuPercent: number;
  /** The client's own event-loop delay (p99, ms): how much the load generator adds. */
  clientLoopDelayP99: number;
  /** Ack p99 of the messages sent in each second of the run (ms). */
  ackP99BySecond: number[];
}

interface SaturationResult {
  sockets: number;
  seconds: number;
  /** Median of the per-second counts after the warm-up. */
  plateauAckedPerSecond: number;
  plateauDeliveredPerSecond: number | null;
  perSecond: number[];
  ack: Latency;
  sent: number;
  acknowledged: number;
  lost: number;
  errors: number;
  serverCpuPercent: number;
  clientCpuPercent: number;
  /** True when every socket sent at the per-socket cap: the server was not the limit. */
  cappedByClient: boolean;
}

/** CPU seconds the whole machine has spent busy (all cores, from /proc/stat). */
function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, , , irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (
    ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100
  );
}

function cpuMeter(pid: number): () => number {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  return () => (100 * (cpuSeconds(pid) - cpu0)) / ((performance.now() - t0) / 1000);
}

/**
 * Waits until the process has been (nearly) idle for 200 ms, at most 5 s: work left over from a
 * previous phase (thousands of closing sockets) must not be timed as part of the next one.
 */
async function settle(pid: number): Promise<void> {
  const until = performance.now() + 5000;
  for (;;) {
    const before = cpuSeconds(pid);
    await sleep(200);
    if (cpuSeconds(pid) - before <= 0.02 || performance.now() > until) return;
  }
}

function vmRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  return Number(kb) * 1024;
}

/**
 * The server's V8 heap, through the inspector it was started with (`--inspect=127.0.0.1:0`):
 * forces a full GC, then reads process.memoryUsage() in the server's own context. Nothing is
 * added to the server for this.
 */
async function serverHeap(
  inspectorUrl: string,
): Promise<{ heapUsed: number; external: number } | null> {
  const ws = new WebSocket(inspectorUrl);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const call = (method: string, params: object = {}) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      const onMessage = (data: WebSocket.RawData) => {
        const reply = JSON.parse(String(data)) as {
          id?: number;
          result?: Record<string, unknown>;
          error?: unknown;
        };
        if (reply.id !== id) return;
        ws.off('message', onMessage);
        if (reply.error) reject(new Error(JSON.stringify(reply.error)));
        else resolve(reply.result ?? {});
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const result = await call('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    });
    const value = (result.result as { value?: string } | undefined)?.value;
    if (!value) return null;
    const usage = JSON.parse(value) as { heapUsed: number; external: number };
    return { heapUsed: usage.heapUsed, external: usage.external };
  } catch {
    return null;
  } finally {
    ws.close();
  }
}

// ---- clients ----------------------------------------------------------------------------------

const CMID = '"clientMessageId":"';
/** The clientMessageId of a frame, by position (no JSON.parse on the hot path). */
function clientMessageIdOf(text: string): string | null {
  const at = text.indexOf(CMID);
  if (at < 0) return null;
  const start = at + CMID.length;
  return text.slice(start, text.indexOf('"', start));
}

/** Ids are `<phase letter><index>`; the index points into the phase's tracker. */
class Tracker {
  readonly sentAt: Float64Array;
  readonly acked: Uint8Array;
  readonly delivered: Uint8Array;
  readonly ackMs: number[] = [];
  readonly deliveryMs: number[] = [];
  readonly ackTimes: number[] = [];
  readonly deliveryTimes: number[] = [];
  sent = 0;
  errors = 0;
  firstError: string | null = null;

  constructor(
    readonly prefix: string,
    capacity: number,
  ) {
    this.sentAt = new Float64Array(capacity);
    this.acked = new Uint8Array(capacity);
    this.delivered = new Uint8Array(capacity);
  }

  /** Reserves the next id and stamps its send time. */
  next(): { index: number; id: string } {
    const index = this.sent++;
    this.sentAt[index] = performance.now();
    return { index, id: `${this.prefix}${index}` };
  }

  private indexOf(text: string): number {
    const id = clientMessageIdOf(text);
    if (!id || id[0] !== this.prefix) return -1;
    const index = Number(id.slice(1));
    return index < this.sent ? index : -1;
  }

  /** Records an ack (or echo); returns the index, or -1 when the frame is not ours. */
  ack(text: string, now: number): number {
    const index = this.indexOf(text);
    if (index < 0 || this.acked[index]) return -1;
    this.acked[index] = 1;
    this.ackMs.push(now - this.sentAt[index]!);
    this.ackTimes.push(now);
    return index;
  }

  deliver(text: string, now: number): void {
    const index = this.indexOf(text);
    if (index < 0 || this.delivered[index]) return;
    this.delivered[index] = 1;
    this.deliveryMs.push(now - this.sentAt[index]!);
    this.deliveryTimes.push(now);
  }

  error(text: string): void {
    this.errors++;
    this.firstError ??= text.slice(0, 300);
  }
}

function latency(samples: number[]): Latency {
  const s = summarize(samples);
  let max = 0;
  for (const x of samples) if (x > max) max = x;
  return { p50: s.p50, p99: s.p99, n: s.n, max };
}

/** Ack p99 (ms) per second of send time. */
function bySecond(tracker: Tracker, started: number, seconds: number): number[] {
  const buckets: number[][] = Array.from({ length: seconds + 1 }, () => []);
  for (let i = 0; i < tracker.ackMs.length; i++) {
    const sentAt = tracker.ackTimes[i]! - tracker.ackMs[i]!;
    buckets[Math.min(seconds, Math.max(0, Math.floor((sentAt - started) / 1000)))]!.push(
      tracker.ackMs[i]!,
    );
  }
  return buckets.filter((b) => b.length).map((b) => Number(summarize(b).p99.toFixed(2)));
}

type FrameHandler = (socket: ClientSocket, text: string, now: number) => void;

/** One client WebSocket; frames after the handshake go to the socket's current handler. */
class ClientSocket {
  handler: FrameHandler = () => {};
  lastSend = 0;
  closed = false;

  constructor(
    readonly ws: WebSocket,
    readonly index: number,
  ) {
    ws.on('close', () => {
      this.closed = true;
    });
  }

  send(text: string): void {
    this.lastSend = performance.now();
    this.ws.send(text);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.terminate();
    });
  }
}

function openSocket(
  url: string,
  index: number,
  options: { origin: string; headers?: Record<string, string> },
  handshake: { first?: string; readyPrefix?: string },
): Promise<ClientSocket> {
  const ws = new WebSocket(url, {
    origin: options.origin,
    perMessageDeflate: false,
    ...(options.headers ? { headers: options.headers } : {}),
  });
  const socket = new ClientSocket(ws, index);
  return new Promise((resolve, reject) => {
    let ready = handshake.readyPrefix === undefined;
    ws.once('open', () => {
      if (handshake.first) ws.send(handshake.first);
      if (ready) resolve(socket);
    });
    ws.on('message', (data: Buffer) => {
      const now = performance.now();
      const text = data.toString();
      if (!ready) {
        if (text.startsWith(handshake.readyPrefix!)) {
          ready = true;
          resolve(socket);
        } else if (text.startsWith('{"type":"error"')) {
          reject(new Error(`handshake refused: ${text}`));
        }
        return;
      }
      socket.handler(socket, text, now);
    });
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade: ${res.statusCode}`)));
  });
}

type BroadcastResult = LoadReport['broadcast'][number];

/**
 * Times `trials` broadcasts: each `trigger()` must make one presence frame reach every socket;
 * the clock starts just before the trigger and stops at each socket's frame.
 */
async function measureBroadcast(
  targets: ClientSocket[],
  trials: number,
  trigger: () => Promise<void> | void,
): Promise<BroadcastResult> {
  const each: number[] = [];
  const last: number[] = [];
  let missing = 0;
  for (let trial = 0; trial < trials; trial++) {
    let got = 0;
    let lastAt = 0;
    let t0 = 0;
    let done: () => void = () => {};
    const all = new Promise<void>((resolve) => {
      done = resolve;
    });
    for (const socket of targets) {
      socket.handler = (_s, text, now) => {
        if (!text.startsWith('{"type":"presence"')) return;
        each.push(now - t0);
        lastAt = now;
        if (++got === targets.length) done();
      };
    }
    t0 = performance.now();
    await trigger();
    await Promise.race([all, sleep(10_000)]);
    missing += targets.length - got;
    last.push(lastAt - t0);
    await sleep(50);
  }
  return {
    sockets: targets.length,
    trials,
    missing,
    each: latency(each),
    lastPerTrial: latency(last),
  };
}

// ---- the run ----------------------------------------------------------------------------------

export async function runLoad(options: {
  quick: boolean;
  /** Overrides the sizes and durations `quick` selects (for experiments). */
  plan?: LoadPlan;
  profileDir: string | null;
  /** Extra node flags for the server (experiments: --trace-gc …), and where to save its output. */
  serverNodeArgs?: string[];
  serverLog?: string;
  /** Another build of the demo entry (A/B experiments); default dist/node/demo/main.js. */
  serverEntry?: string;
  log: (line: string) => void;
}): Promise<LoadReport> {
  const entry = options.serverEntry ?? ENTRY;
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  const p = options.plan ?? plan(options.quick);
  const log = options.log;
  const dataDir = mkdtempSync(join(tmpdir(), 'palaver-bench-rt-'));
  const runStarted = performance.now();
  const machineBefore = machineBusySeconds();
  const ownBefore = process.cpuUsage();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const wsBase = `ws://127.0.0.1:${port}`;
  const nodeArgs = ['--inspect=127.0.0.1:0', ...(options.serverNodeArgs ?? [])];
  if (options.profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`);
  const server = await spawnPinned(
    [...nodeArgs, entry],
    {
      PALAVER_DATA_DIR: dataDir,
      PALAVER_SECRET_KEY: randomBytes(32).toString('hex'),
      ...UNLIMITED_RATES,
      PALAVER_ADMIN_EMAIL: ADMIN.email,
      PALAVER_ADMIN_PASSWORD: ADMIN.password,
      // Info would log every request; the demo's banner on stdout tells when it is ready.
      LOG_LEVEL: 'warn',
      PORT: String(port),
      PUBLIC_URL: base,
    },
    /Palaver is running/,
  );
  const inspectorUrl =
    server.output.map((l) => /Debugger listening on (ws:\/\/\S+)/.exec(l)?.[1]).find(Boolean) ??
    null;
  const echo = await spawnPinned(['--import', 'tsx', ECHO], { PORT: '0' }, /echo ready (\d+)/);
  const echoUrl = `ws://127.0.0.1:${echo.match[1]}`;
  const visitorUrl = `${wsBase}/ws/visitor`;
  const agentUrl = `${wsBase}/ws/agent`;
  log(`server pid ${server.pid} at ${base}, echo pid ${echo.pid}; pinned: ${hasTaskset}`);

  const sockets: ClientSocket[] = [];
  const agentSockets = new Set<ClientSocket>();
  try {
    // ---- sessions (paced: 200 at a time) ----
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const sessionCount = Math.max(p.idleSockets, p.saturation.sockets, p.roundTrip.visitors);
    const sessionsStarted = performance.now();
    const tokens = await pool(0, sessionCount, 200, async () => {
      const response = await fetch(`${base}/api/widget/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8', origin: base },
        body: JSON.stringify({ projectId: 'demo' }),
      });
      const body = (await response.json()) as { visitorToken?: string };
      if (response.status !== 201 || !body.visitorToken) {
        throw new Error(`session start: ${response.status} ${JSON.stringify(body)}`);
      }
      return body.visitorToken;
    });
    const sessionSeconds = (performance.now() - sessionsStarted) / 1000;
    log(`${sessionCount} sessions in ${sessionSeconds.toFixed(1)} s`);

    const openVisitor = async (i: number) => {
      const socket = await openSocket(
        visitorUrl,
        i,
        { origin: base },
        {
          first: JSON.stringify({ type: 'auth', token: tokens[i], resume: [] }),
          readyPrefix: '{"type":"ready"',
        },
      );
      sockets[i] = socket;
      return socket;
    };
    const openAgent = async () => {
      const socket = await openSocket(
        agentUrl,
        -1,
        { origin: base, headers: { cookie } },
        { readyPrefix: '{"type":"ready"' },
      );
      agentSockets.add(socket);
      socket.ws.once('close', () => agentSockets.delete(socket));
      return socket;
    };
    const closeVisitors = async (from: number, to: number) => {
      await Promise.all(sockets.slice(from, to).map((s) => s.close()));
    };

    // ---- memory per idle socket (first, on a fresh process: no freed-but-kept pages yet) ----
    await settle(server.pid);
    const rssBefore = vmRssBytes(server.pid);
    const heapBefore = inspectorUrl ? await serverHeap(inspectorUrl) : null;
    const rssBeforeAfterGc = vmRssBytes(server.pid);
    await pool(0, p.idleSockets, 200, openVisitor);
    await settle(server.pid);
    const heapAfter = inspectorUrl ? await serverHeap(inspectorUrl) : null;
    const rssAfter = vmRssBytes(server.pid);
    log(
      `memory: ${p.idleSockets} sockets, RSS ${(rssBeforeAfterGc / 2 ** 20).toFixed(1)} → ${(rssAfter / 2 ** 20).toFixed(1)} MB`,
    );
    const memory = {
      sockets: p.idleSockets,
      rssBefore: Math.min(rssBefore, rssBeforeAfterGc),
      rssAfter,
      heapBefore: heapBefore?.heapUsed ?? null,
      heapAfter: heapAfter?.heapUsed ?? null,
      externalBefore: heapBefore?.external ?? null,
      externalAfter: heapAfter?.external ?? null,
    };

    // ---- broadcast: an agent's presence change reaches every visitor of the project ----
    const broadcast: LoadReport['broadcast'] = [];
    const sizes = [...p.broadcastSizes].sort((a, b) => b - a);
    let open = p.idleSockets;
    for (const size of sizes) {
      if (size < open) {
        await closeVisitors(size, open);
        open = size;
      }
      await settle(server.pid);
      let agent: ClientSocket | null = null;
      const result = await measureBroadcast(
        sockets.slice(0, size),
        p.broadcastTrials * 2,
        async () => {
          if (agent === null) agent = await openAgent();
          else {
            void agent.close();
            agent = null;
          }
        },
      );
      if (agent) await (agent as ClientSocket).close();
      broadcast.push(result);
      log(`broadcast to ${size}: all p99 ${result.lastPerTrial.p99.toFixed(1)} ms`);
    }

    // ---- round trip: N visitors × rate msg/s, one agent watching ----
    const rt = p.roundTrip;
    if (rt.visitors < open) {
      await closeVisitors(rt.visitors, open);
      open = rt.visitors;
    } else if (rt.visitors > open) {
      await pool(open, rt.visitors, 200, openVisitor);
      open = rt.visitors;
    }
    const agent = await openAgent();
    await settle(server.pid);
    const paced = async (
      targets: ClientSocket[],
      tracker: Tracker,
      frame: (id: string, body: string) => string,
      pid: number,
      onAck: (text: string, now: number) => void,
    ): Promise<PacedResult> => {
      const loopDelay = monitorEventLoopDelay({ resolution: 1 });
      loopDelay.enable();
      const cpu = cpuMeter(pid);
      const n = targets.length;
      for (const socket of targets) {
        socket.handler = (_s, text, now) => {
          if (text.startsWith('{"type":"ack"') || text.startsWith('{"type":"send"')) {
            tracker.ack(text, now);
            onAck(text, now);
          } else if (text.startsWith('{"type":"error"')) tracker.error(text);
        };
      }
      const started = performance.now();
      const interval = 1000 / rt.rate;
      const count = rt.seconds * rt.rate;
      await Promise.all(
        targets.map(
          (socket, v) =>
            new Promise<void>((resolve) => {
              let k = 0;
              const tick = () => {
                const { id } = tracker.next();
                socket.send(frame(id, `hello from visitor ${v}, message ${k}`));
                if (++k >= count) return resolve();
                const due = started + (v / n) * interval + k * interval;
                setTimeout(tick, Math.max(0, due - performance.now()));
              };
              setTimeout(tick, (v / n) * interval);
            }),
        ),
      );
      const drainUntil = performance.now() + 10_000;
      while (tracker.ackMs.length < tracker.sent && performance.now() < drainUntil) await sleep(20);
      const elapsed = ((tracker.ackTimes.at(-1) ?? performance.now()) - started) / 1000;
      const serverCpuPercent = cpu();
      loopDelay.disable();
      return {
        sent: tracker.sent,
        acknowledged: tracker.ackMs.length,
        lost: tracker.sent - tracker.ackMs.length,
        errors: tracker.errors,
        firstError: tracker.firstError,
        ack: latency(tracker.ackMs),
        throughputPerSecond: Math.round(tracker.ackMs.length / elapsed),
        serverCpuPercent,
        clientLoopDelayP99: loopDelay.percentile(99) / 1e6,
        ackP99BySecond: bySecond(tracker, started, rt.seconds),
      };
    };

    log(`round trip: ${rt.visitors} visitors × ${rt.rate}/s for ${rt.seconds} s (Palaver)`);
    const rtTracker = new Tracker('r', rt.visitors * rt.seconds * rt.rate);
    let conversationId: string | null = null;
    agent.handler = (_s, text, now) => {
      if (text.startsWith('{"type":"message"')) rtTracker.deliver(text, now);
    };
    const ours = await paced(
      sockets.slice(0, rt.visitors),
      rtTracker,
      (id, body) => JSON.stringify({ type: 'send', clientMessageId: id, body }),
      server.pid,
      (text) => {
        if (conversationId) return;
        conversationId = /"conversationId":"([^"]+)"/.exec(text)?.[1] ?? null;
      },
    );
    const deliverUntil = performance.now() + 5000;
    while (rtTracker.deliveryMs.length < rtTracker.sent && performance.now() < deliverUntil) {
      await sleep(20);
    }
    const roundTripOurs = {
      ...ours,
      lost: rtTracker.sent - Math.min(rtTracker.ackMs.length, rtTracker.deliveryMs.length),
      delivery: latency(rtTracker.deliveryMs),
      delivered: rtTracker.deliveryMs.length,
    };
    log(
      `  ack p50 ${ours.ack.p50.toFixed(2)} p99 ${ours.ack.p99.toFixed(2)} ms, lost ${roundTripOurs.lost}`,
    );

    log(`round trip: same load against the bare ws echo server`);
    const echoSockets = await pool(0, rt.visitors, 200, (i) =>
      openSocket(echoUrl, i, { origin: base }, {}),
    );
    await settle(echo.pid);
    const echoTracker = new Tracker('e', rt.visitors * rt.seconds * rt.rate);
    const roundTripEcho = await paced(
      echoSockets,
      echoTracker,
      (id, body) => JSON.stringify({ type: 'send', clientMessageId: id, body }),
      echo.pid,
      () => {},
    );
    await Promise.all(echoSockets.map((s) => s.close()));
    log(
      `  echo p50 ${roundTripEcho.ack.p50.toFixed(2)} p99 ${roundTripEcho.ack.p99.toFixed(2)} ms`,
    );

    // ---- fan-out: one agent message, N agent sockets watching the conversation ----
    const fanOut: LoadReport['fanOut'] = [];
    if (conversationId) {
      for (const [round, watchers] of p.fanOutWatchers.entries()) {
        const watching = await pool(0, watchers, 50, () => openAgent());
        const sender = await openAgent();
        await settle(server.pid);
        // A new id prefix per round: the same agent reusing an id would get the old message back.
        const tracker = new Tracker(String.fromCharCode(102 + round), p.fanOutTrials);
        const arrivals = new Uint32Array(p.fanOutTrials);
        const each: number[] = [];
        const last: number[] = [];
        let wake: () => void = () => {};
        for (const socket of watching) {
          socket.handler = (_s, text, now) => {
            if (!text.startsWith('{"type":"message"')) return;
            const id = clientMessageIdOf(text);
            if (!id?.startsWith(tracker.prefix)) return;
            const index = Number(id.slice(1));
            each.push(now - tracker.sentAt[index]!);
            if (++arrivals[index]! === watchers) {
              last.push(now - tracker.sentAt[index]!);
              wake();
            }
          };
        }
        for (let trial = 0; trial < p.fanOutTrials; trial++) {
          const all = new Promise<void>((resolve) => {
            wake = resolve;
          });
          const { id } = tracker.next();
          sender.send(
            JSON.stringify({ type: 'send', conversationId, clientMessageId: id, body: 'On it!' }),
          );
          await Promise.race([all, sleep(5000)]);
          await sleep(20);
        }
        fanOut.push({
          watchers,
          trials: p.fanOutTrials,
          each: latency(each),
          lastPerTrial: latency(last),
        });
        log(`fan-out to ${watchers} agent sockets: p99 ${latency(each).p99.toFixed(2)} ms`);
        await Promise.all([...watching, sender].map((s) => s.close()));
      }
    }

    // ---- saturation: closed loop, one message in flight per socket ----
    const sat = p.saturation;
    if (sat.sockets > open) {
      await pool(open, sat.sockets, 200, openVisitor);
      open = sat.sockets;
    }
    const saturate = async (
      targets: ClientSocket[],
      tracker: Tracker,
      pid: number,
      minGapMs: number,
      watcher: ClientSocket | null,
    ): Promise<SaturationResult> => {
      let running = true;
      const payload = (id: string) =>
        `{"type":"send","clientMessageId":"${id}","body":"saturation message ${id}"}`;
      const sendNext = (socket: ClientSocket) => {
        if (!running || socket.closed) return;
        socket.send(payload(tracker.next().id));
      };
      const schedule = (socket: ClientSocket, now: number) => {
        const wait = socket.lastSend + minGapMs - now;
        if (wait <= 0) sendNext(socket);
        else setTimeout(sendNext, wait, socket);
      };
      let capped = 0;
      for (const socket of targets) {
        socket.handler = (s, text, now) => {
          if (text.startsWith('{"type":"ack"') || text.startsWith('{"type":"send"')) {
            if (tracker.ack(text, now) < 0) return;
            if (now - s.lastSend < minGapMs) capped++;
            schedule(s, now);
          } else if (text.startsWith('{"type":"error"')) {
            tracker.error(text);
            setTimeout(sendNext, 1000, s);
          }
        };
      }
      if (watcher) {
        watcher.handler = (_s, text, now) => {
          if (text.startsWith('{"type":"message"')) tracker.deliver(text, now);
        };
      }
      const cpu = cpuMeter(pid);
      const clientCpu = process.cpuUsage();
      const started = performance.now();
      // Staggered over 100 ms so the first second is not one burst of every socket at once.
      targets.forEach((socket, i) => setTimeout(sendNext, (i / targets.length) * 100, socket));
      await sleep(sat.seconds * 1000);
      running = false;
      const stoppedAt = performance.now();
      const serverCpuPercent = cpu();
      const used = process.cpuUsage(clientCpu);
      const clientCpuPercent =
        (100 * (used.user + used.system)) / 1e6 / ((stoppedAt - started) / 1000);
      const drainUntil = performance.now() + 10_000;
      while (
        (tracker.ackMs.length < tracker.sent ||
          (watcher && tracker.deliveryMs.length < tracker.sent)) &&
        performance.now() < drainUntil
      ) {
        await sleep(20);
      }
      const buckets = (times: number[]) => {
        const counts = new Array<number>(sat.seconds).fill(0);
        for (const t of times) {
          const b = Math.floor((t - started) / 1000);
          if (b >= 0 && b < sat.seconds) counts[b]!++;
        }
        return counts;
      };
      // The mean rate after the warm-up: closed-loop senders fall into waves (a socket sends again
      // when its ack arrives), so single seconds swing between wave crests and troughs.
      const plateau = (counts: number[]) => {
        const steady = counts.slice(sat.warmupSeconds);
        return Math.round(steady.reduce((sum, n) => sum + n, 0) / Math.max(1, steady.length));
      };
      const acked = buckets(tracker.ackTimes);
      const ackedTotal = tracker.ackMs.length;
      return {
        sockets: targets.length,
        seconds: sat.seconds,
        plateauAckedPerSecond: plateau(acked),
        plateauDeliveredPerSecond: watcher ? plateau(buckets(tracker.deliveryTimes)) : null,
        perSecond: acked,
        ack: latency(tracker.ackMs),
        sent: tracker.sent,
        acknowledged: ackedTotal,
        lost:
          tracker.sent - (watcher ? Math.min(ackedTotal, tracker.deliveryMs.length) : ackedTotal),
        errors: tracker.errors,
        serverCpuPercent,
        clientCpuPercent,
        cappedByClient: ackedTotal > 0 && capped / ackedTotal > 0.9,
      };
    };

    await settle(server.pid);
    log(`saturation: ${sat.sockets} sockets, closed loop, ${sat.seconds} s (Palaver)`);
    const satOurs = await saturate(
      sockets.slice(0, sat.sockets),
      new Tracker('t', Math.ceil(sat.sockets * MAX_SEND_PER_SOCKET * (sat.seconds + 1))),
      server.pid,
      1000 / MAX_SEND_PER_SOCKET,
      agent,
    );
    log(`  plateau ${satOurs.plateauAckedPerSecond} msg/s acked (${satOurs.perSecond.join(' ')})`);
    await closeVisitors(0, open);
    await agent.close();

    log(`saturation: ${sat.sockets} sockets, closed loop, ${sat.seconds} s (bare ws echo)`);
    // Bare ws broadcast, smallest size first, growing the same set of echo sockets.
    const echoMany: ClientSocket[] = [];
    const echoBroadcast: LoadReport['broadcastEcho'] = [];
    for (const size of [...p.broadcastSizes].sort((a, b) => a - b)) {
      echoMany.push(
        ...(await pool(echoMany.length, size, 200, (i) =>
          openSocket(echoUrl, i, { origin: base }, {}),
        )),
      );
      await settle(echo.pid);
      const result = await measureBroadcast(echoMany, p.broadcastTrials * 2, () =>
        echoMany[0]!.send('{"type":"broadcast"}'),
      );
      echoBroadcast.push(result);
      log(`bare ws broadcast to ${size}: all p99 ${result.lastPerTrial.p99.toFixed(1)} ms`);
    }
    echoMany.push(
      ...(await pool(echoMany.length, sat.sockets, 200, (i) =>
        openSocket(echoUrl, i, { origin: base }, {}),
      )),
    );
    await settle(echo.pid);
    const satEcho = await saturate(echoMany, new Tracker('s', 4_000_000), echo.pid, 0, null);
    log(`  plateau ${satEcho.plateauAckedPerSecond} msg/s echoed (${satEcho.perSecond.join(' ')})`);
    await Promise.all(echoMany.map((s) => s.close()));

    const ownUsage = process.cpuUsage(ownBefore);
    const benchCpu =
      cpuSeconds(server.pid) + cpuSeconds(echo.pid) + (ownUsage.user + ownUsage.system) / 1e6;
    const elapsedSeconds = (performance.now() - runStarted) / 1000;
    const otherCpuPercent = Math.max(
      0,
      (100 * (machineBusySeconds() - machineBefore - benchCpu)) / elapsedSeconds,
    );
    log(`other processes used ${otherCpuPercent.toFixed(0)}% of a core during the run`);
    return {
      plan: p,
      otherCpuPercent,
      elapsedSeconds,
      pinned: { server: hasTaskset, load: false },
      roundTrip: { ours: roundTripOurs, echo: roundTripEcho },
      saturation: { ours: satOurs, echo: satEcho },
      fanOut,
      broadcast,
      broadcastEcho: echoBroadcast,
      memory,
      sessions: { count: sessionCount, seconds: sessionSeconds },
      profile: null,
    };
  } finally {
    await Promise.all([...agentSockets].map((s) => s.close()));
    await Promise.all(sockets.filter(Boolean).map((s) => s.close()));
    await Promise.all([server.stop(), echo.stop()]);
    if (options.serverLog) writeFileSync(options.serverLog, server.output.join('\n') + '\n');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Entry when run as the pinned load process: figures go to the file named on the command line.
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { quick: { type: 'boolean', default: false }, profile: { type: 'string' } },
  });
  const out = positionals[0];
  if (!out) throw new Error('usage: realtime-load.ts <result.json> [--quick] [--profile DIR]');
  const report = await runLoad({
    quick: values.quick,
    profileDir: values.profile ?? null,
    log: (line) => console.error(`[realtime +${(performance.now() / 1000).toFixed(1)} s] ${line}`),
  });
  report.pinned.load = (process.env.PALAVER_BENCH_LOAD_PINNED ?? '') === '1';
  report.profile = values.profile ?? null;
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
}
