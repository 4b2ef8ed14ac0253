/**
 * The contact store with 100,000 contacts in one project: Store.contacts.list (the Contacts page
 * and GET /api/v1/contacts) without and with a text query and filters, one call at a time, and
 * the writes that fill it (Store.contacts.change of 100 contacts per call, as a bulk identify of
 * a full batch does: new contacts, then the same contacts again with one property changed).
 * SQLite on a temp file; PostgreSQL in its own schema when reachable (TEST_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test).
 *
 *   npx tsx bench/contacts-list.ts [--quick]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { DEFAULT_WIDGET_OPTIONS, type Provenance } from '../protocol/index.js';
import {
  blankContact,
  openPostgresStore,
  openSqliteStore,
  type ContactQuery,
  type ContactRecord,
  type Store,
} from '../server/store/index.js';
import { noiseFloor, summarize, type BenchSection, type GoalResult } from './types.js';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PROJECT = 'bench';
const BATCH = 100;
const START = Date.parse('2026-01-01T00:00:00.000Z');
/** Contacts whose writes are timed. */
const WRITES = 10_000;

const SYLLABLES = 'ja ne mar ko li sa to ri an el be no vi ka do mi ra ste fan jo'.split(' ');
const DOMAINS = ['gmail.com', 'example.com', 'acme.io', 'outlook.com', 'mail.de', 'proton.me'];
const CITIES = ['Paris', 'Berlin', 'Tokyo', 'Lima', 'Zürich', 'São Paulo', 'Kraków', 'Oslo'];
const syllable = (n: number) => SYLLABLES[n % SYLLABLES.length]!;
const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** Contact n: 300 first names, 800 last names, unique emails and phones, a few properties. */
function contact(n: number, revision: number): ContactRecord {
  const first = syllable(n % 300) + syllable(((n % 300) * 7 + 3) % 20) + syllable((n % 300) * 13);
  const last = syllable(n * 31) + syllable(n * 11 + 5) + syllable(n * 17 + 1) + 'son';
  const at = new Date(START + n * 1000 + revision * 86_400_000).toISOString();
  const sources: ContactRecord['provenance']['fields']['name'][] = [
    { source: 'push', at, detail: 'CRM sync' },
    { source: n % 10 === 0 ? 'pull' : 'push', at, detail: null },
  ];
  const provenance: Provenance = {
    fields: { name: sources[0]!, email: sources[1]! },
    properties: n % 50 === 0 ? { plan: { source: 'token', at, detail: null } } : {},
  };
  return {
    ...blankContact(PROJECT, `user_${(n * 2654435761) % 4294967296}`, at),
    profile: {
      name: `${capital(first)} ${capital(last)}`,
      firstName: capital(first),
      lastName: capital(last),
      email: `${first}.${last}${n}@${DOMAINS[n % DOMAINS.length]}`,
      phone: `+1${2_000_000_000 + ((n * 7919) % 7_999_999_999)}`,
      avatarUrl: null,
      metadata: {
        plan: n < 20 ? 'platinum' : ['free', 'pro', 'gold'][n % 3],
        city: CITIES[n % CITIES.length],
        company: `${capital(last)} ${['Inc', 'GmbH', 'Ltd'][n % 3]}`,
        seats: (n % 250) + revision,
      },
    },
    provenance,
    identity: n % 20 === 0 ? 'claimed' : n % 4 === 0 ? 'verified' : null,
  };
}

interface Figures {
  seedPerSecond: number;
  updatePerSecond: number;
  queries: Record<string, { p50: number; p99: number }>;
}

/** Writes contacts [from, to) in calls of `batch`; contacts per second. */
async function write(store: Store, from: number, to: number, revision: number, batch = BATCH) {
  const began = performance.now();
  for (let start = from; start < to; start += batch) {
    const ids = new Map<string, number>();
    for (let n = start; n < Math.min(to, start + batch); n++) {
      ids.set(contact(n, revision).externalUserId, n);
    }
    await store.contacts.change(PROJECT, [...ids.keys()], (current, id) => {
      const next = contact(ids.get(id)!, revision);
      return { ...next, createdAt: current?.createdAt ?? next.createdAt };
    });
  }
  return (to - from) / ((performance.now() - began) / 1000);
}

async function exercise(
  store: Store,
  count: number,
  runs: number,
  analyze: () => Promise<void> = () => Promise.resolve(),
): Promise<Figures> {
  await store.projects.create({
    id: PROJECT,
    name: 'Bench',
    allowedOrigins: [],
    widget: DEFAULT_WIDGET_OPTIONS,
    createdAt: new Date(START).toISOString(),
  });
  // Measured: the first WRITES contacts 100 per call, then the same again with one property
  // changed (an update that leaves the search text alone). The rest: 1000 per call, to be quick.
  const seedPerSecond = await write(store, 0, WRITES, 0);
  const updatePerSecond = await write(store, 0, WRITES, 1);
  await write(store, WRITES, count, 0, 1000);
  await analyze();

  const old = contact(Math.floor(count / 3), 0);
  const middle = contact(Math.floor(count / 2), 0);
  const queries: Record<string, Partial<ContactQuery>> = {
    'first page': {},
    'page in the middle': {
      after: { updatedAt: middle.updatedAt, externalUserId: middle.externalUserId },
    },
    'updated since (recent)': { updatedSince: new Date(START + count * 900).toISOString() },
    'identity claimed (5 %)': { identity: 'claimed' },
    'identity unseen': { identity: 'unseen' },
    'source token (2 %)': { source: 'token' },
    'text: common word "gmail"': { text: 'gmail' },
    'text: first name prefix': { text: old.profile!.firstName!.slice(0, 4) },
    'text: full name': { text: old.profile!.name! },
    'text: one old email': { text: old.profile!.email! },
    'text: phone prefix': { text: old.profile!.phone!.slice(0, 8) },
    'text: rare old property "platinum"': { text: 'platinum' },
    'text: no match': { text: 'qqqzzz' },
    'text + identity claimed': { text: 'gold', identity: 'claimed' },
    'text: punctuation only "@"': { text: '@' },
  };
  const figures: Figures['queries'] = {};
  for (const [name, query] of Object.entries(queries)) {
    const samples: number[] = [];
    for (let i = 0; i < runs + 5; i++) {
      const started = performance.now();
      await store.contacts.list(PROJECT, { limit: 50, ...query });
      if (i >= 5) samples.push(performance.now() - started);
    }
    const { p50, p99 } = summarize(samples);
    figures[name] = { p50, p99 };
  }
  return { seedPerSecond, updatePerSecond, queries: figures };
}

async function sqlite(count: number, runs: number): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'palaver-bench-contacts-'));
  const store = await openSqliteStore(join(dir, 'bench.sqlite'));
  try {
    return await exercise(store, count, runs);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function postgres(count: number, runs: number): Promise<Figures> {
  const schema = `palaver_bench_${randomBytes(4).toString('hex')}`;
  const store = await openPostgresStore(PG_URL, { schema });
  // What autovacuum does within a minute of a bulk import; the planner needs it to pick indexes.
  const analyze = async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`ANALYZE ${schema}.contacts`);
    await client.end();
  };
  try {
    return await exercise(store, count, runs, analyze);
  } finally {
    await store.close();
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

const round = (n: number) => Number(n.toFixed(2));

export async function run(options: { quick?: boolean } = {}): Promise<BenchSection> {
  const quick = options.quick ?? false;
  const count = quick ? 10_000 : 100_000;
  const runs = quick ? 20 : 60;
  const notes = [
    `1-minute load average when the run started: ${loadavg()[0]!.toFixed(2)} (other processes inflate the tails).`,
    `${count} contacts in one project (names from 300 × 800 combinations, unique emails and phones, 4 properties); each query ${runs} times after 5 unmeasured, limit 50. Writes: Store.contacts.change with ${BATCH} contacts per call, one call at a time — ${WRITES} new contacts, then the same again with one property changed (search text unchanged).`,
  ];
  const figures: BenchSection['figures'] = {};
  const goals: GoalResult[] = [];
  const record = (dialect: string, f: Figures) => {
    figures[`${dialect} new contacts/s (change, 100 per call)`] = Math.round(f.seedPerSecond);
    figures[`${dialect} updated contacts/s (change, 100 per call)`] = Math.round(f.updatePerSecond);
    for (const [name, q] of Object.entries(f.queries)) {
      figures[`${dialect} ${name} p50 ms`] = round(q.p50);
      figures[`${dialect} ${name} p99 ms`] = round(q.p99);
    }
    const [worst, slowest] = Object.entries(f.queries).sort((a, b) => b[1].p99 - a[1].p99)[0]!;
    goals.push({
      goal: `${dialect}: contact list/search p99 with ${count} contacts (slowest query kind: ${worst})`,
      target: '≤ 50 ms',
      measured: `${round(slowest.p99)} ms`,
      pass: slowest.p99 <= 50,
    });
  };
  record('SQLite', await sqlite(count, runs));
  const unreachable = await postgresReachable();
  if (unreachable) notes.push(`PostgreSQL skipped: ${PG_URL} is unreachable (${unreachable}).`);
  else record('PostgreSQL', await postgres(count, runs));
  const noise = noiseFloor();
  figures.noiseFloorP50Ms = round(noise.p50);
  figures.noiseFloorP99Ms = round(noise.p99);
  return { id: 'contacts-list', title: 'Contacts: list and search', figures, goals, notes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const section = await run({ quick: process.argv.includes('--quick') });
  console.table(section.figures);
  console.table(section.goals.map((g) => ({ ...g, pass: g.pass ? 'pass' : 'MISS' })));
  for (const note of section.notes ?? []) console.log(`- ${note}`);
}
