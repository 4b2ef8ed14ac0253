// Enforces the byte budgets of DESIGN.md §4 on the built front-ends (gzip -9), printing a table.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = join(import.meta.dirname, '..', 'dist');
const KB = 1024;

function files(dir, match) {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, String(name)))
    .filter((path) => statSync(path).isFile() && match.test(path));
}

function measure(paths) {
  let raw = 0;
  let gzip = 0;
  let brotli = 0;
  for (const path of paths) {
    const bytes = readFileSync(path);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
    brotli += brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length;
  }
  return { raw, gzip, brotli };
}

const widgetDir = join(dist, 'widget');
const loader = files(widgetDir, /[/\\]widget\.js$/);
const panel = files(widgetDir, /[/\\]panel-[^/\\]+\.js$/);
const agent = files(join(dist, 'agent'), /\.(js|css)$/);
if (loader.length !== 1 || panel.length !== 1 || agent.length === 0) {
  console.error(
    'check-size: build first (npm run build); expected dist/widget/widget.js, one panel chunk and dist/agent',
  );
  process.exit(1);
}

const budgets = [
  { name: 'widget loader', paths: loader, limit: 3 * KB },
  { name: 'widget panel chunk', paths: panel, limit: 22 * KB },
  { name: 'widget, everything it can load', paths: [...loader, ...panel], limit: 25 * KB },
  { name: 'agent console (js + css)', paths: agent, limit: 80 * KB },
];

const kb = (n) => `${(n / KB).toFixed(2)} KB`;
const rows = budgets.map((b) => ({ ...b, ...measure(b.paths) }));
if (process.argv.includes('--json')) {
  // For bench/run.ts: the same figures, machine-readable.
  const json = rows.map(({ name, raw, gzip, brotli, limit }) => ({
    name,
    raw,
    gzip,
    brotli,
    limit,
  }));
  console.log(JSON.stringify(json));
  process.exit(rows.some((r) => r.gzip > r.limit) ? 1 : 0);
}
console.log('\nSize budgets (gzip -9; brotli for reference)');
console.table(
  rows.map((r) => ({
    bundle: r.name,
    files: r.paths
      .map((p) => relative(dist, p))
      .join(', ')
      .slice(0, 60),
    raw: kb(r.raw),
    gzip: kb(r.gzip),
    brotli: kb(r.brotli),
    budget: kb(r.limit),
    ok: r.gzip <= r.limit ? 'yes' : 'OVER',
  })),
);
const over = rows.filter((r) => r.gzip > r.limit);
if (over.length) {
  for (const r of over) {
    console.error(`check-size: ${r.name} is ${kb(r.gzip)} gzipped, over its ${kb(r.limit)} budget`);
  }
  process.exit(1);
}
