/**
 * How much time the identity fetch pipeline adds on top of the site endpoint's own round trip.
 * Runs against a local endpoint that answers at once, so the figures are Palaver's cost:
 *  - raw:      a plain undici request + body read (the floor any HTTP client pays);
 *  - guarded:  the same through GuardedHttpClient (own DNS, address check, caps, deadline);
 *  - pipeline: ProfileFetcher.refresh end to end (guarded call, JSON/zod parse, PII guard,
 *              contact upsert, integration log, health) on a temp SQLite database.
 * Usage: npx tsx bench/fetch-overhead.ts [iterations]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { createAddressPolicy, parseAllowList } from '../server/identity/index.js';
import { GuardedHttpClient } from '../server/identity/guard.js';
import { createLogger } from '../server/logger.js';
import { InProcessBus } from '../server/realtime/index.js';
import { createServices } from '../server/services.js';
import { openSqliteStore } from '../server/store/index.js';

const iterations = Number(process.argv[2] ?? 300);
const answer = JSON.stringify({
  first_name: 'Alice',
  last_name: 'Martin',
  email: 'alice@example.com',
  phone_number: '+33 6 12 34 56 78',
  metadata: { plan: 'Pro', orders: 12, last_order: { id: 'ORD-1', total: '€249.00' } },
});
const endpoint = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
});
await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;

const dir = mkdtempSync(join(tmpdir(), 'palaver-bench-'));
const store = await openSqliteStore(join(dir, 'bench.sqlite'));
const services = createServices({
  store,
  bus: new InProcessBus(),
  logger: createLogger('silent'),
  secretKey: randomBytes(32),
  identity: { allowHttp: true, allowedPrivateHosts: parseAllowList('127.0.0.1') },
});
await services.projects.create({ id: 'bench', name: 'Bench', allowedOrigins: [] });
await services.integrations.update('bench', {
  enabled: true,
  url: `${base}/users/{id}`,
  headers: [{ name: 'Authorization', value: 'Bearer bench' }],
});
const guarded = new GuardedHttpClient({
  policy: createAddressPolicy(parseAllowList('127.0.0.1')),
  allowHttp: true,
});

async function measure(name: string, run: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 30; i++) await run(i); // warm-up: JIT, connection pools, SQLite caches
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await run(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { name, median: at(0.5), p95: at(0.95) };
}

const results = [
  await measure('raw undici request', async (i) => {
    const res = await request(`${base}/users/u${i}`, { headers: { accept: 'application/json' } });
    await res.body.text();
  }),
  await measure('guarded client request', (i) =>
    guarded.request({
      url: new URL(`${base}/users/u${i}`),
      method: 'GET',
      headers: { accept: 'application/json' },
      deadlineMs: 10_000,
      maxBytes: 256 * 1024,
    }),
  ),
  await measure('full pipeline (refresh)', async (i) => {
    const report = await services.profiles.refresh('bench', `u${i % 50}`);
    if (report.outcome !== 'ok') throw new Error(`unexpected outcome ${report.outcome}`);
  }),
];

const raw = results[0]!;
console.log(`\nIdentity fetch overhead, ${iterations} calls each, local instant endpoint\n`);
console.table(
  results.map((r) => ({
    path: r.name,
    'median ms': r.median.toFixed(2),
    'p95 ms': r.p95.toFixed(2),
    'overhead vs raw (median ms)': (r.median - raw.median).toFixed(2),
  })),
);

await guarded.close();
await services.outbound.close();
await store.close();
endpoint.close();
rmSync(dir, { recursive: true, force: true });
