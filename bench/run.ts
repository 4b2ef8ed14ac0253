/**
 * `npm run bench`: every benchmark in one bounded run (loopback only, ≤ 5 minutes), written to
 * bench/results/latest.json and latest.md, and into the results table of BENCHMARKS.md.
 * `npm run bench -- --quick` is a short smoke run with the same shape.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';
import type { BenchSection } from './types.js';

const quick = process.argv.includes('--quick');
const root = join(import.meta.dirname, '..');
const resultsDir = join(import.meta.dirname, 'results');

interface SizeRow {
  name: string;
  raw: number;
  gzip: number;
  brotli: number;
  limit: number;
}

function sizes(): BenchSection {
  const rows = JSON.parse(
    execFileSync(process.execPath, [join(root, 'scripts', 'check-size.mjs'), '--json'], {
      encoding: 'utf8',
    }),
  ) as SizeRow[];
  const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
  return {
    id: 'sizes',
    title: 'Bundle sizes (gzip -9; raw and brotli for reference)',
    figures: Object.fromEntries(
      rows.flatMap((r) => [
        [`${r.name} gzip`, r.gzip],
        [`${r.name} raw`, r.raw],
        [`${r.name} brotli`, r.brotli],
      ]),
    ),
    goals: rows.map((r) => ({
      goal: `${r.name} ≤ ${kb(r.limit)} gz`,
      target: kb(r.limit),
      measured: kb(r.gzip),
      pass: r.gzip <= r.limit,
    })),
  };
}

/** Each benchmark in turn; one that fails is reported as such and the others still run. */
async function collect(): Promise<BenchSection[]> {
  const sections: BenchSection[] = [sizes()];
  const steps: Array<[string, () => Promise<BenchSection | BenchSection[]>]> = [
    ['page cost', async () => (await import('./page-cost.js')).run({ runs: quick ? 3 : 11 })],
    ['realtime', async () => (await import('./realtime.js')).run({ quick })],
    ['reconnect herds', async () => (await import('./herd.js')).run({ quick })],
    ['identity', async () => (await import('./identity.js')).run({ quick })],
    ['cards', async () => (await import('./cards.js')).run({ quick })],
    ['store', async () => (await import('./store.js')).run({ quick })],
    ['contacts list', async () => (await import('./contacts-list.js')).run({ quick })],
    ['contacts push', async () => (await import('./contacts-push.js')).run({ quick })],
    ['webhooks', async () => (await import('./webhooks.js')).run({ quick })],
    ['cold start', async () => (await import('./cold-start.js')).run({ quick })],
  ];
  for (const [name, step] of steps) {
    const started = performance.now();
    process.stdout.write(`bench: ${name}… `);
    try {
      const result = await step();
      sections.push(...(Array.isArray(result) ? result : [result]));
      console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      console.log('FAILED');
      console.error(error);
      sections.push({
        id: name,
        title: name,
        figures: {},
        goals: [
          { goal: `${name} benchmark ran`, target: 'ran', measured: String(error), pass: false },
        ],
      });
    }
  }
  return sections;
}

function markdown(sections: BenchSection[], machine: Record<string, string | number>): string {
  const lines = [
    `Run of ${new Date().toISOString()} on ${machine.cpu} (${machine.cores} cores), ${machine.memory}, Node ${machine.node}, ${machine.os}${quick ? ' — QUICK smoke run, not comparable' : ''}.`,
    '',
    '| Area | Goal | Target | Measured | |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const s of sections) {
    for (const g of s.goals) {
      lines.push(
        `| ${s.title} | ${g.goal} | ${g.target} | ${g.measured} | ${g.pass ? 'pass' : '**miss**'} |`,
      );
    }
  }
  const notes = sections.flatMap((s) => (s.notes ?? []).map((n) => `- ${s.title}: ${n}`));
  if (notes.length) lines.push('', 'Notes:', '', ...notes);
  return lines.join('\n') + '\n';
}

const distEntry = join(root, 'dist', 'node', 'server', 'main.js');
if (!existsSync(distEntry)) {
  console.error('bench: build first (npm run bench builds; or run npm run build)');
  process.exit(1);
}
const started = performance.now();
const sections = await collect();
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown CPU',
  cores: cpus().length,
  memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
  node: process.version,
  os: `${osType()} ${release()}`,
};
mkdirSync(resultsDir, { recursive: true });
const table = markdown(sections, machine);
writeFileSync(
  join(resultsDir, 'latest.json'),
  JSON.stringify({ at: new Date().toISOString(), quick, machine, sections }, null, 2) + '\n',
);
writeFileSync(join(resultsDir, 'latest.md'), table);
const doc = join(root, 'BENCHMARKS.md');
if (existsSync(doc) && !quick) {
  const text = readFileSync(doc, 'utf8');
  const start = '<!-- results:start -->';
  const end = '<!-- results:end -->';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i >= 0 && j > i) {
    // Formatted as `npm run lint` expects, so a run leaves the repository clean.
    const updated = `${text.slice(0, i + start.length)}\n${table}${text.slice(j)}`;
    const options = (await prettier.resolveConfig(doc)) ?? {};
    writeFileSync(doc, await prettier.format(updated, { ...options, filepath: doc }));
  }
}
console.log(`\n${table}`);
console.log(`bench: all done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
