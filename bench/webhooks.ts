/**
 * Webhooks (issue 12 §4): deliveries per second to a fast local receiver, event → delivery
 * latency at 100 events/s, and what a subscription to message.created costs the message path.
 * The server's services run in this process over SQLite; the receiver runs in its own process
 * (bench/webhook-receiver.ts).
 *
 *   npx tsx bench/webhooks.ts [--quick]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLogger } from '../server/logger.js';
import { parseAllowList } from '../server/outbound/index.js';
import { InProcessBus } from '../server/realtime/index.js';
import { createServices, type Services } from '../server/services.js';
import { openSqliteStore, type VisitorRecord } from '../server/store/index.js';
import { summarize, type BenchSection, type GoalResult } from './types.js';

interface Receiver {
  url: string;
  lags: number[];
  child: ChildProcess;
  /** Resolves once `count` requests have arrived in all. */
  received(count: number): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const child = fork(join(import.meta.dirname, 'webhook-receiver.ts'), {
    execArgv: ['--import', 'tsx'],
  });
  const lags: number[] = [];
  let waiting: { count: number; done: () => void } | null = null;
  const port = await new Promise<number>((done) => {
    child.on('message', (m: { port?: number; lagMs?: number }) => {
      if (m.port !== undefined) done(m.port);
      if (m.lagMs !== undefined) {
        lags.push(m.lagMs);
        if (waiting && lags.length >= waiting.count) waiting.done();
      }
    });
  });
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    lags,
    child,
    received: (count) =>
      lags.length >= count ? Promise.resolve() : new Promise((done) => (waiting = { count, done })),
  };
}

async function startServices(dir: string, name: string): Promise<Services> {
  const store = await openSqliteStore(join(dir, `${name}.sqlite`));
  const services = createServices({
    store,
    bus: new InProcessBus(),
    logger: createLogger('silent'),
    secretKey: randomBytes(32),
    identity: { allowHttp: true, allowedPrivateHosts: parseAllowList('127.0.0.1') },
  });
  await services.projects.create({ id: 'bench', name: 'Bench', allowedOrigins: [] });
  return services;
}

async function visitors(services: Services, count: number): Promise<VisitorRecord[]> {
  const made: VisitorRecord[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date().toISOString();
    const record: VisitorRecord = {
      id: `vis_bench_${i}`,
      projectId: 'bench',
      externalUserId: null,
      identity: 'anonymous',
      firstSeenAt: at,
      lastSeenAt: at,
      pageUrl: null,
      referrer: null,
      userAgent: null,
      locale: null,
      erasedAt: null,
    };
    await services.store.visitors.create({ ...record, tokenHash: `hash_${i}` });
    made.push(record);
  }
  return made;
}

const origin = { socketId: 'bench', acknowledge: () => undefined };
let sent = 0;
const send = (services: Services, visitor: VisitorRecord) =>
  services.chat.visitorSend(
    visitor,
    `m${++sent}`,
    'Hello, I would like to know about my order',
    origin,
  );

/** A backlog of `count` message events for `subscriptions` subscriptions, then drained. */
async function throughput(dir: string, receiver: Receiver, count: number) {
  const services = await startServices(dir, 'throughput');
  const subscriptions = 4;
  for (let i = 0; i < subscriptions; i++) {
    await services.webhooks.create('bench', { url: receiver.url, events: ['message.created'] });
  }
  const people = await visitors(services, 50);
  const events = count / subscriptions;
  for (let i = 0; i < events; i += people.length) {
    await Promise.all(people.map((v) => send(services, v)));
  }
  const before = receiver.lags.length;
  const started = performance.now();
  services.webhookDispatcher.start();
  await receiver.received(before + count);
  const seconds = (performance.now() - started) / 1000;
  await services.webhookDispatcher.stop();
  await services.outbound.close();
  await services.store.close();
  return { deliveries: count, seconds, perSecond: count / seconds };
}

/** Events at `rate`/s for `seconds`, each delivered as it comes: event → receiver latency. */
async function latency(dir: string, receiver: Receiver, rate: number, seconds: number) {
  const services = await startServices(dir, 'latency');
  await services.webhooks.create('bench', { url: receiver.url, events: ['message.created'] });
  const people = await visitors(services, 20);
  services.webhookDispatcher.start();
  const before = receiver.lags.length;
  const total = rate * seconds;
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((done) => setTimeout(done, wait));
    void send(services, people[i % people.length]!);
  }
  await receiver.received(before + total);
  const lags = receiver.lags.slice(before);
  await services.webhookDispatcher.stop();
  await services.outbound.close();
  await services.store.close();
  return summarize(lags);
}

/**
 * Message sends (50 visitors at once): without a subscription; with one to message.created whose
 * deliveries are only written (the outbox's own cost); and with them delivered alongside on the
 * same core.
 */
async function messagePath(
  dir: string,
  receiver: Receiver,
  count: number,
  mode: 'none' | 'outbox' | 'delivering',
) {
  const services = await startServices(dir, `path-${mode}`);
  if (mode !== 'none') {
    await services.webhooks.create('bench', { url: receiver.url, events: ['message.created'] });
  }
  if (mode === 'delivering') services.webhookDispatcher.start();
  const people = await visitors(services, 50);
  const durations: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i += people.length) {
    await Promise.all(
      people.map(async (v) => {
        const t0 = performance.now();
        await send(services, v);
        durations.push(performance.now() - t0);
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  await services.webhookDispatcher.stop();
  await services.outbound.close();
  await services.store.close();
  return { perSecond: durations.length / seconds, ...summarize(durations) };
}

/**
 * What a claim costs while one receiver is slow: `backlog` due deliveries of a subscription that
 * already runs its share (so the dispatcher claims with it busy), and a claim for the others,
 * repeated. A claim is synchronous SQLite work on the server's one thread: the chat waits for it.
 */
async function claimBesideBacklog(dir: string, backlog: number, claims: number) {
  const services = await startServices(dir, 'backlog');
  const url = 'http://127.0.0.1:9/hooks';
  const slow = await services.webhooks.create('bench', { url, events: ['message.created'] });
  await services.webhooks.create('bench', { url, events: ['message.created'] });
  const created = Date.now() - 60_000;
  const rows = Array.from({ length: backlog }, (_, i) => ({
    id: `dlv_${String(i).padStart(8, '0')}`,
    projectId: 'bench',
    subscriptionId: slow.id,
    eventId: `evt_${i}`,
    eventType: 'message.created',
    orderKey: `conv_${i % 1000}`,
    body: '{}',
    createdAt: new Date(created + i).toISOString(),
    giveUpAt: new Date(created + 86_400_000).toISOString(),
  }));
  for (let i = 0; i < rows.length; i += 1000) {
    await services.store.webhooks.addDeliveries(rows.slice(i, i + 1000));
  }
  const lease = () => ({
    now: new Date().toISOString(),
    leaseUntil: new Date(Date.now() + 15_000).toISOString(),
    limit: 32,
  });
  await services.store.webhooks.claim({ ...lease(), busy: [] });
  const durations: number[] = [];
  for (let i = 0; i < claims; i++) {
    const t0 = performance.now();
    await services.store.webhooks.claim({ ...lease(), busy: [slow.id] });
    durations.push(performance.now() - t0);
  }
  await services.outbound.close();
  await services.store.close();
  return summarize(durations);
}

export async function run(options: { quick?: boolean } = {}): Promise<BenchSection> {
  const quick = options.quick ?? false;
  const dir = mkdtempSync(join(tmpdir(), 'palaver-bench-hooks-'));
  const receiver = await startReceiver();
  try {
    const fast = await throughput(dir, receiver, quick ? 2_000 : 10_000);
    const lag = await latency(dir, receiver, 100, quick ? 3 : 10);
    const messages = quick ? 2_000 : 10_000;
    const off = await messagePath(dir, receiver, messages, 'none');
    const outbox = await messagePath(dir, receiver, messages, 'outbox');
    const on = await messagePath(dir, receiver, messages, 'delivering');
    const backlog = quick ? 5_000 : 20_000;
    const beside = await claimBesideBacklog(dir, backlog, quick ? 50 : 200);
    const f = (n: number) => n.toFixed(n < 10 ? 2 : 0);
    const goals: GoalResult[] = [
      {
        goal: 'Webhook deliveries per second (fast local receiver, SQLite)',
        target: '≥ 1,000/s',
        measured: `${f(fast.perSecond)}/s`,
        pass: fast.perSecond >= 1000,
      },
      {
        goal: 'Event → delivery p99 at 100 events/s',
        target: '≤ 1 s',
        measured: `${f(lag.p99)} ms`,
        pass: lag.p99 <= 1000,
      },
      {
        goal: `A claim beside a slow receiver's ${backlog.toLocaleString('en-US')} due deliveries, p99`,
        target: '≤ 1 ms',
        measured: `${f(beside.p99)} ms`,
        pass: beside.p99 <= 1,
      },
    ];
    return {
      id: 'webhooks',
      title: 'Webhooks: delivery throughput and latency, and their cost to the message path',
      figures: {
        deliveries: fast.deliveries,
        drainSeconds: Number(fast.seconds.toFixed(2)),
        deliveriesPerSecond: Math.round(fast.perSecond),
        lagP50Ms: lag.p50,
        lagP99Ms: lag.p99,
        lagSamples: lag.n,
        messagesPerSecondWithout: Math.round(off.perSecond),
        sendP50MsWithout: Number(off.p50.toFixed(2)),
        sendP99MsWithout: Number(off.p99.toFixed(2)),
        messagesPerSecondOutboxOnly: Math.round(outbox.perSecond),
        sendP50MsOutboxOnly: Number(outbox.p50.toFixed(2)),
        sendP99MsOutboxOnly: Number(outbox.p99.toFixed(2)),
        messagesPerSecondDelivering: Math.round(on.perSecond),
        sendP50MsDelivering: Number(on.p50.toFixed(2)),
        sendP99MsDelivering: Number(on.p99.toFixed(2)),
        backlogDeliveries: backlog,
        claimBesideBacklogP50Ms: Number(beside.p50.toFixed(3)),
        claimBesideBacklogP99Ms: Number(beside.p99.toFixed(3)),
      },
      goals,
      notes: [
        'Services in the bench process over SQLite (group commit); the receiver (204 at once) in its own process; no core pinning.',
        'Throughput: a backlog of message.created events for 4 subscriptions, drained by one dispatcher (64 attempts in flight, 8 per subscription).',
        'Beside a backlog: one subscription has that many due deliveries (1,000 conversations) and already holds its share; each claim is for the others, as the dispatcher makes it while that receiver is slow.',
        'Message path: 50 visitors sending at once through ChatService (no sockets): no subscription; a subscription whose deliveries are only written ("outbox only", the dispatcher stopped); and delivered alongside on the same core ("delivering").',
        ...(quick ? ['QUICK run: reduced sizes; goals are indicative only.'] : []),
      ],
    };
  } finally {
    receiver.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const section = await run({ quick: process.argv.includes('--quick') });
  console.log(`\n${section.title}\n`);
  console.table(section.figures);
  console.table(section.goals.map((g) => ({ ...g, pass: g.pass ? 'pass' : 'MISS' })));
  for (const note of section.notes ?? []) console.log(`- ${note}`);
}
