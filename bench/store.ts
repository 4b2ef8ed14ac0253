/**
 * The Store port on its own: appending a message (Store.conversations.append, as a visitor's send does:
 * idempotency lookup, then seq allocation and insert in one transaction) and reading a
 * conversation's last 50 messages (Store.conversations.messagesBefore, what the agent console and the widget
 * load on open). One call at a time, so the figures are the store's latency, not queueing.
 * SQLite on a temp file (the adapter's WAL, synchronous=NORMAL); PostgreSQL in its own schema
 * when reachable (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test).
 *
 *   npx tsx bench/store.ts [--quick]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { DEFAULT_WIDGET_OPTIONS } from '../protocol/index.js';
import { openPostgresStore, openSqliteStore, type Store } from '../server/store/index.js';
import { noiseFloor, summarize, type BenchSection, type GoalResult } from './types.js';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const HISTORY = 50;
const BODY = 'Hello! I ordered a blue jacket last week and it has not arrived yet; can you check?';

interface Plan {
  conversations: number;
  inserts: number;
  reads: number;
}

interface StoreFigures {
  insert: { p50: number; p99: number; n: number };
  history: { p50: number; p99: number; n: number };
  insertsPerSecond: number;
}

async function exercise(store: Store, plan: Plan): Promise<StoreFigures> {
  const projectId = `bench_${randomBytes(4).toString('hex')}`;
  const now = () => new Date().toISOString();
  await store.projects.create({
    id: projectId,
    name: 'Bench',
    allowedOrigins: [],
    widget: DEFAULT_WIDGET_OPTIONS,
    createdAt: now(),
  });
  const conversations: Array<{ id: string; visitorId: string }> = [];
  for (let i = 0; i < plan.conversations; i++) {
    const visitorId = `vis_${projectId}_${i}`;
    await store.visitors.create({
      id: visitorId,
      projectId,
      externalUserId: null,
      identity: 'anonymous',
      firstSeenAt: now(),
      lastSeenAt: now(),
      pageUrl: null,
      referrer: null,
      userAgent: null,
      locale: null,
      erasedAt: null,
      tokenHash: randomBytes(16).toString('hex'),
    });
    const { conversation } = await store.conversations.append({
      target: { openFor: { visitorId, projectId, newConversationId: `conv_${projectId}_${i}` } },
      senderKey: `v:${visitorId}`,
      clientMessageId: 'first',
      author: { kind: 'visitor', id: visitorId, name: null, avatarUrl: null },
      body: BODY,
      createdAt: now(),
    });
    conversations.push({ id: conversation.id, visitorId });
  }

  let sent = 0;
  const append = () => {
    const target = conversations[sent % conversations.length]!;
    sent++;
    return store.conversations.append({
      target: { conversationId: target.id },
      senderKey: `v:${target.visitorId}`,
      clientMessageId: `c${sent}`,
      author: { kind: 'visitor', id: target.visitorId, name: null, avatarUrl: null },
      body: BODY,
      createdAt: now(),
    });
  };
  // Warm-up: JIT, statement caches, the pool's connections.
  for (let i = 0; i < Math.min(500, plan.inserts / 10); i++) await append();
  const inserts: number[] = [];
  const began = performance.now();
  for (let i = 0; i < plan.inserts; i++) {
    const started = performance.now();
    const { created } = await append();
    inserts.push(performance.now() - started);
    if (!created) throw new Error('append did not create a message');
  }
  const insertsPerSecond = plan.inserts / ((performance.now() - began) / 1000);

  const reads: number[] = [];
  for (let i = 0; i < plan.reads + 100; i++) {
    const target = conversations[(i * 7919) % conversations.length]!;
    const started = performance.now();
    const page = await store.conversations.messagesBefore(target.id, undefined, HISTORY);
    if (i >= 100) reads.push(performance.now() - started);
    if (page.items.length !== HISTORY) throw new Error(`history: ${page.items.length} messages`);
  }
  return { insert: summarize(inserts), history: summarize(reads), insertsPerSecond };
}

async function sqlite(plan: Plan): Promise<StoreFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'palaver-bench-store-'));
  const store = await openSqliteStore(join(dir, 'bench.sqlite'));
  try {
    return await exercise(store, plan);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function postgres(plan: Plan): Promise<StoreFigures> {
  const schema = `palaver_bench_${randomBytes(4).toString('hex')}`;
  const store = await openPostgresStore(PG_URL, { schema });
  try {
    return await exercise(store, plan);
  } finally {
    await store.close();
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

const round = (n: number) => Number(n.toFixed(3));

export async function run(options: { quick?: boolean } = {}): Promise<BenchSection> {
  const quick = options.quick ?? false;
  const notes: string[] = [
    `1-minute load average when the run started: ${loadavg()[0]!.toFixed(2)} (other processes inflate the tails).`,
  ];
  const figures: BenchSection['figures'] = {};
  const sqlitePlan: Plan = quick
    ? { conversations: 20, inserts: 2_000, reads: 500 }
    : { conversations: 100, inserts: 20_000, reads: 5_000 };
  const pgPlan: Plan = quick
    ? { conversations: 10, inserts: 1_000, reads: 300 }
    : { conversations: 50, inserts: 5_000, reads: 2_000 };

  const lite = await sqlite(sqlitePlan);
  const noise = noiseFloor();
  Object.assign(figures, {
    sqliteInsertP50Ms: round(lite.insert.p50),
    sqliteInsertP99Ms: round(lite.insert.p99),
    sqliteInsertsPerSecond: Math.round(lite.insertsPerSecond),
    sqliteHistoryP50Ms: round(lite.history.p50),
    sqliteHistoryP99Ms: round(lite.history.p99),
    noiseFloorP50Ms: round(noise.p50),
    noiseFloorP99Ms: round(noise.p99),
  });
  notes.push(
    `SQLite: ${sqlitePlan.inserts} appends over ${sqlitePlan.conversations} conversations, then ${sqlitePlan.reads} reads of the last ${HISTORY} messages; temp file, WAL, synchronous=NORMAL. "noise floor": a fixed ~1 ms of CPU work timed 300 times; its p99 − p50 is what other processes add to every tail here.`,
  );

  const unreachable = await postgresReachable();
  if (unreachable) {
    notes.push(`PostgreSQL skipped: ${PG_URL} is unreachable (${unreachable}).`);
  } else {
    const remote = await postgres(pgPlan);
    Object.assign(figures, {
      postgresInsertP50Ms: round(remote.insert.p50),
      postgresInsertP99Ms: round(remote.insert.p99),
      postgresInsertsPerSecond: Math.round(remote.insertsPerSecond),
      postgresHistoryP50Ms: round(remote.history.p50),
      postgresHistoryP99Ms: round(remote.history.p99),
    });
    notes.push(
      `PostgreSQL (local, loopback, own schema): ${pgPlan.inserts} appends over ${pgPlan.conversations} conversations, ${pgPlan.reads} history reads. No goal: its commits wait for the WAL flush (fsync).`,
    );
  }

  const ms = (n: number) => `${n.toFixed(3)} ms`;
  const goals: GoalResult[] = [
    {
      goal: 'SQLite insert (appendMessage) p99',
      target: '≤ 1 ms',
      measured: ms(lite.insert.p99),
      pass: lite.insert.p99 <= 1,
    },
    {
      goal: `SQLite last-${HISTORY} history p99`,
      target: '≤ 2 ms',
      measured: ms(lite.history.p99),
      pass: lite.history.p99 <= 2,
    },
  ];
  return { id: 'store', title: 'Store: message insert and history', figures, goals, notes };
}

export function print(section: BenchSection): void {
  console.log(`\n${section.title}\n`);
  console.table(section.figures);
  console.table(section.goals.map((g) => ({ ...g, pass: g.pass ? 'pass' : 'MISS' })));
  for (const note of section.notes ?? []) console.log(`- ${note}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  print(await run({ quick: process.argv.includes('--quick') }));
}
