/**
 * The load side of bench/realtime.ts, meant to run pinned to its own core
 * (`taskset -c 0 node --import tsx bench/realtime-load/main.ts <result.json> [--quick] [--profile DIR]`).
 * It starts the Palaver server (the `npm start` entry, dist/node/demo/main.js) and the bare `ws`
 * echo server, each pinned to core 1, drives every phase, and writes the raw figures as JSON to
 * the file named on the command line.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { runLoad } from './index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { quick: { type: 'boolean', default: false }, profile: { type: 'string' } },
});
const out = positionals[0];
if (!out) throw new Error('usage: realtime-load/main.ts <result.json> [--quick] [--profile DIR]');
const report = await runLoad({
  quick: values.quick,
  profileDir: values.profile ?? null,
  log: (line) => console.error(`[realtime +${(performance.now() / 1000).toFixed(1)} s] ${line}`),
});
report.pinned.load = (process.env.PALAVER_BENCH_LOAD_PINNED ?? '') === '1';
report.profile = values.profile ?? null;
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
