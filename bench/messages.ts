/**
 * Message round trip through real server processes: N visitor sockets each send `rate` messages
 * per second for `seconds`; one agent socket watches. Reports ack latency (send → committed and
 * acknowledged), delivery latency (visitor send → the agent's socket has it), throughput and lost
 * messages. Storage and instance count are parameters, so SQLite, PostgreSQL and two instances
 * over Redis can be compared in one run of each.
 *
 *   npx tsx bench/messages.ts --store sqlite --visitors 200 --seconds 10
 *   npx tsx bench/messages.ts --store postgres --instances 2
 * (needs `npm run build` first; PostgreSQL/Redis at the usual local addresses for those modes)
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { AgentServerFrame, VisitorServerFrame } from '../protocol/index.js';
import { AgentClient, FrameSocket, startSession } from '../test/support/clients.js';
import { startInstance, type Instance } from '../test/support/instances.js';
import { UNLIMITED_RATES } from './processes.js';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    instances: { type: 'string', default: '1' },
    visitors: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '1' },
  },
});
const store = values.store === 'postgres' ? 'postgres' : 'sqlite';
const instanceCount = Number(values.instances);
const visitors = Number(values.visitors);
const seconds = Number(values.seconds);
const rate = Number(values.rate);
const PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN = { email: 'bench@palaver.test', password: 'bench-password-123' };

const percentile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'palaver-bench-'));
  const database = `palaver_bench_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    PALAVER_DATA_DIR: dataDir,
    PALAVER_SECRET_KEY: randomBytes(32).toString('hex'),
    ...UNLIMITED_RATES,
    PALAVER_ADMIN_EMAIL: ADMIN.email,
    PALAVER_ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'warn',
  };
  const admin = new pg.Client({ connectionString: PG });
  if (store === 'postgres') {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(PG);
    url.pathname = `/${database}`;
    env.DATABASE_URL = url.toString();
  }
  if (instanceCount > 1) {
    if (store !== 'postgres') throw new Error('several instances need --store postgres');
    env.REDIS_URL = REDIS;
    env.PALAVER_REDIS_PREFIX = `palaver-bench-${randomBytes(4).toString('hex')}:`;
  }
  env.LOG_LEVEL = 'info'; // startInstance waits for the "demo ready" line
  const instances: Instance[] = [];
  for (let i = 0; i < instanceCount; i++) instances.push(await startInstance(env));
  const site = instances[0]!.url; // the origin the demo project allows
  try {
    const agent = await AgentClient.login(instances.at(-1)!.url, ADMIN.email, ADMIN.password);
    const agentSocket = await agent.readySocket();
    const sentAt = new Map<string, number>();
    const delivery: number[] = [];
    const ack: number[] = [];
    let lost = 0;
    agentSocket.ws.on('message', (data) => {
      const frame = JSON.parse((data as Buffer).toString()) as AgentServerFrame;
      if (frame.type !== 'message') return;
      const started = sentAt.get(frame.message.body);
      if (started !== undefined) delivery.push(performance.now() - started);
    });

    const sockets: FrameSocket<VisitorServerFrame>[] = [];
    for (let i = 0; i < visitors; i++) {
      const target = instances[i % instances.length]!;
      const session = await startSession(target.url, { projectId: 'demo' }, site);
      const socket = await FrameSocket.open<VisitorServerFrame>(
        `${target.url.replace(/^http/, 'ws')}/ws/visitor`,
        { origin: site },
      );
      socket.send({ type: 'auth', token: session.body.visitorToken, resume: [] });
      await socket.next((f) => f.type === 'ready');
      socket.ws.on('message', (data) => {
        const frame = JSON.parse((data as Buffer).toString()) as VisitorServerFrame;
        if (frame.type !== 'ack') return;
        const started = sentAt.get(frame.message.body);
        if (started !== undefined) ack.push(performance.now() - started);
      });
      sockets.push(socket);
    }

    const started = performance.now();
    let sent = 0;
    await Promise.all(
      sockets.map(async (socket, v) => {
        // Spread the visitors over the first second so the load is steady, not in bursts.
        await new Promise((resolve) => setTimeout(resolve, (v / visitors) * 1000));
        for (let n = 0; n < seconds * rate; n++) {
          const body = `v${v}-m${n}`;
          sentAt.set(body, performance.now());
          socket.send({ type: 'send', clientMessageId: `b${v}x${n}`, body });
          sent++;
          await new Promise((resolve) => setTimeout(resolve, 1000 / rate));
        }
      }),
    );
    // Drain: wait until every message is acknowledged and delivered, or 10 s passed.
    const drainUntil = performance.now() + 10_000;
    while ((ack.length < sent || delivery.length < sent) && performance.now() < drainUntil) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const elapsed = (performance.now() - started) / 1000;
    lost = sent - Math.min(ack.length, delivery.length);
    ack.sort((a, b) => a - b);
    delivery.sort((a, b) => a - b);
    const result = {
      store,
      instances: instanceCount,
      visitors,
      seconds,
      ratePerVisitor: rate,
      sent,
      acknowledged: ack.length,
      delivered: delivery.length,
      lost,
      throughputPerSecond: Math.round(ack.length / elapsed),
      ackMs: { p50: percentile(ack, 0.5), p99: percentile(ack, 0.99) },
      deliveryMs: { p50: percentile(delivery, 0.5), p99: percentile(delivery, 0.99) },
    };
    console.table({
      [`${store} × ${instanceCount}`]: {
        sent,
        lost,
        'msg/s': result.throughputPerSecond,
        'ack p50 ms': result.ackMs.p50.toFixed(2),
        'ack p99 ms': result.ackMs.p99.toFixed(2),
        'delivery p50 ms': result.deliveryMs.p50.toFixed(2),
        'delivery p99 ms': result.deliveryMs.p99.toFixed(2),
      },
    });
    mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
    writeFileSync(
      join(import.meta.dirname, 'results', `messages-${store}-${instanceCount}.json`),
      JSON.stringify({ ...result, at: new Date().toISOString() }, null, 2) + '\n',
    );
    for (const socket of sockets) socket.close();
    agentSocket.close();
  } finally {
    await Promise.all(instances.map((i) => i.stop()));
    if (store === 'postgres') {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
