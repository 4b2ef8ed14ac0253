/**
 * The push API through HTTP, against a real server process (the production entry) pinned to one
 * core, on SQLite and on PostgreSQL:
 *  - bulk:     `POST /api/v1/contacts/bulk` with batches of 100 new contacts (name, email, phone,
 *              four properties), a few batches in flight, as a CRM sync sends them. Contacts/s.
 *  - identify: `PUT /api/v1/contacts/{id}` one at a time, each changing a property of a contact
 *              that exists (the sign-up hook / trait change case). Latency p50/p99 as the client
 *              sees it, loopback included.
 *
 *   npx tsx bench/contacts-push.ts [--quick]      (needs `npm run build` first)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Agent, request } from 'undici';
import type { CreatedApiKey } from '../protocol/index.js';
import { AgentClient } from '../test/support/clients.js';
import { startInstance, type Instance } from '../test/support/instances.js';
import { postgresUrlForTests, runSql } from '../test/support/services.js';
import { hasTaskset, pinToServerCpu, SERVER_CPU } from './processes.js';
import { summarize, type BenchSection, type GoalResult } from './types.js';

const ADMIN = { email: 'bench@palaver.test', password: 'bench-password-123' };
const PROJECT = 'bench';
const BATCH = 100;
const IN_FLIGHT = 4;

function contact(i: number) {
  return {
    externalId: `user-${i}`,
    name: `Bench User ${i}`,
    email: `user${i}@bench.example.com`,
    phone: `+1415555${String(i % 10000).padStart(4, '0')}`,
    properties: {
      plan: i % 3 === 0 ? 'pro' : 'free',
      seats: i % 50,
      company: `Co ${i % 97}`,
      beta: i % 2 === 0,
    },
  };
}

async function withServer<T>(database: string | null, run: (server: Instance) => Promise<T>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'palaver-bench-push-'));
  const server = await startInstance(
    {
      PALAVER_DATA_DIR: dataDir,
      PALAVER_SECRET_KEY: randomBytes(32).toString('hex'),
      PALAVER_ADMIN_EMAIL: ADMIN.email,
      PALAVER_ADMIN_PASSWORD: ADMIN.password,
      PALAVER_API_KEY_RATE_LIMIT: '1000000000',
      ...(database ? { DATABASE_URL: database } : {}),
    },
    'server',
  );
  pinToServerCpu(server.process.pid!);
  try {
    return await run(server);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function keyFor(server: Instance): Promise<string> {
  const admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
  const project = await admin.request('POST', '/api/admin/projects', {
    id: PROJECT,
    name: 'Bench',
    allowedOrigins: [],
  });
  if (project.status !== 201) throw new Error(`project: HTTP ${project.status}`);
  const key = await admin.request<CreatedApiKey>(
    'POST',
    `/api/admin/projects/${PROJECT}/api-keys`,
    {
      label: 'bench',
      roles: ['contacts:write'],
    },
  );
  if (key.status !== 201) throw new Error(`api key: HTTP ${key.status}`);
  return key.body.secret;
}

async function measure(server: Instance, quick: boolean) {
  const key = await keyFor(server);
  const dispatcher = new Agent({ connections: IN_FLIGHT + 1, pipelining: 1 });
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const send = async (method: 'PUT' | 'POST', path: string, body: unknown) => {
    const answer = await request(`${server.url}/api/v1${path}`, {
      method,
      headers,
      body: JSON.stringify(body),
      dispatcher,
    });
    const text = await answer.body.text();
    if (answer.statusCode !== 200)
      throw new Error(`${method} ${path}: ${answer.statusCode} ${text}`);
  };

  const batches = quick ? 40 : 200;
  let next = 0;
  const bulkBatch = async () => {
    for (let b = next++; b < batches; b = next++) {
      const items = Array.from({ length: BATCH }, (_, i) => contact(b * BATCH + i));
      await send('POST', '/contacts/bulk', { contacts: items });
    }
  };
  // Warm-up: the first batches pay for JIT and the first pages of the tables.
  await send('POST', '/contacts/bulk', {
    contacts: Array.from({ length: BATCH }, (_, i) => contact(-1 - i)),
  });
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, bulkBatch));
  const seconds = (performance.now() - started) / 1000;
  const perSecond = (batches * BATCH) / seconds;

  const samples: number[] = [];
  const count = quick ? 300 : 2000;
  for (let i = 0; i < count; i++) {
    const id = `user-${i % (batches * BATCH)}`;
    const t0 = performance.now();
    await send('PUT', `/contacts/${id}`, { properties: { plan: `plan-${i}` } });
    samples.push(performance.now() - t0);
  }
  await dispatcher.close();
  return { perSecond, contacts: batches * BATCH, identify: summarize(samples.slice(count / 10)) };
}

export async function run({ quick = false } = {}): Promise<BenchSection> {
  const notes = [
    hasTaskset
      ? `Server process pinned to CPU ${SERVER_CPU}; this process (the client) on the other core.`
      : 'taskset unavailable: server and client share the CPUs.',
    `Bulk: batches of ${BATCH} new contacts, ${IN_FLIGHT} requests in flight. Identify: one request at a time, each changing a property of an existing contact; the first 10% are warm-up.`,
  ];
  const figures: BenchSection['figures'] = {};
  const goals: GoalResult[] = [];
  const sqlite = await withServer(null, (server) => measure(server, quick));
  figures['bulk contacts/s (SQLite)'] = Math.round(sqlite.perSecond);
  figures['identify p50 ms (SQLite)'] = Number(sqlite.identify.p50.toFixed(2));
  figures['identify p99 ms (SQLite)'] = Number(sqlite.identify.p99.toFixed(2));
  goals.push(
    {
      goal: 'Bulk identify ≥ 10,000 contacts/s on one core (SQLite)',
      target: '≥ 10,000/s',
      measured: `${Math.round(sqlite.perSecond).toLocaleString('en')}/s`,
      pass: sqlite.perSecond >= 10_000,
    },
    {
      goal: 'Identify p99 ≤ 5 ms (SQLite)',
      target: '≤ 5 ms',
      measured: `${sqlite.identify.p99.toFixed(2)} ms (p50 ${sqlite.identify.p50.toFixed(2)})`,
      pass: sqlite.identify.p99 <= 5,
    },
  );

  const pgUrl = await postgresUrlForTests();
  if (pgUrl) {
    const database = `palaver_bench_push_${randomBytes(4).toString('hex')}`;
    await runSql(pgUrl, `CREATE DATABASE ${database}`);
    try {
      const url = new URL(pgUrl);
      url.pathname = `/${database}`;
      const pg = await withServer(url.toString(), (server) => measure(server, quick));
      figures['bulk contacts/s (PostgreSQL)'] = Math.round(pg.perSecond);
      figures['identify p50 ms (PostgreSQL)'] = Number(pg.identify.p50.toFixed(2));
      figures['identify p99 ms (PostgreSQL)'] = Number(pg.identify.p99.toFixed(2));
      notes.push(
        `PostgreSQL (reported, no goal): ${Math.round(pg.perSecond).toLocaleString('en')} contacts/s in bulk; identify p50 ${pg.identify.p50.toFixed(2)} ms, p99 ${pg.identify.p99.toFixed(2)} ms. The database runs on the same two cores.`,
      );
    } finally {
      await runSql(pgUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    }
  } else {
    notes.push('PostgreSQL not reachable: its figures are missing.');
  }
  return { id: 'contacts-push', title: 'Contacts push API (HTTP)', figures, goals, notes };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const section = await run({ quick: process.argv.includes('--quick') });
  console.log(JSON.stringify(section, null, 2));
}
