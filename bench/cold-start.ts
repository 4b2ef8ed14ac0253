/**
 * Cold start to ready: the production entry (`node dist/node/server/main.js`) on a fresh data
 * directory (new SQLite file: migrations, the first admin's password hash), from spawn to the first
 * 200 from GET /readyz (polled every 10 ms). Median of 5 starts, on one core (taskset) when
 * available. Alongside: the bare `node` start-up on the same core (the floor), and when the server
 * logged "palaver listening" (from its own log timestamps, relative to spawn).
 *
 *   npx tsx bench/cold-start.ts [--quick]      (needs `npm run build` first)
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../server/paths.js';
import { freePort } from '../test/support/ports.js';
import { summarize, type BenchSection } from './types.js';

const ENTRY = join(projectRoot(), 'dist', 'node', 'server', 'main.js');
const GOAL_MS = 1000;
const POLL_MS = 10;

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function readyStatus(port: number): Promise<number> {
  return new Promise((resolveStatus) => {
    const req = request({ host: '127.0.0.1', port, path: '/readyz', agent: false }, (res) => {
      res.resume();
      resolveStatus(res.statusCode ?? 0);
    });
    req.on('error', () => resolveStatus(0));
    req.setTimeout(1000, () => req.destroy());
    req.end();
  });
}

/** CPU time (user + system, all threads) a process has used so far, in ms; null without /proc. */
function cpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

interface Start {
  readyMs: number;
  /** CPU the server had used when it was ready: wall time minus waiting for other processes. */
  cpuMs: number | null;
  /** From spawn to the "palaver listening" log line, by the server's own clock. */
  listeningMs: number | null;
}

function command(args: string[], pinned: boolean): [string, string[]] {
  return pinned ? ['taskset', ['-c', '0', process.execPath, ...args]] : [process.execPath, args];
}

async function coldStart(pinned: boolean): Promise<Start> {
  const dataDir = mkdtempSync(join(tmpdir(), 'palaver-bench-cold-'));
  const port = await freePort();
  const [file, args] = command([ENTRY], pinned);
  const spawnedAt = Date.now();
  const started = performance.now();
  const child = spawn(file, args, {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      PALAVER_DATA_DIR: dataDir,
      PALAVER_SECRET_KEY: randomBytes(32).toString('hex'),
      PALAVER_ADMIN_EMAIL: 'admin@palaver.test',
      PALAVER_ADMIN_PASSWORD: 'bench-password-123',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let gone = false;
  void exited.then(() => (gone = true));
  try {
    let readyMs = NaN;
    let cpu: number | null = null;
    for (;;) {
      if (gone) throw new Error(`the server exited before it was ready:\n${output.join('')}`);
      if ((await readyStatus(port)) === 200) {
        readyMs = performance.now() - started;
        cpu = cpuMs(child.pid);
        break;
      }
      if (performance.now() - started > 20_000) throw new Error('not ready within 20 s');
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    let listeningMs: number | null = null;
    for (const line of output.join('').split('\n')) {
      if (!line.includes('"msg":"palaver listening"')) continue;
      const time = (JSON.parse(line) as { time?: number }).time;
      if (typeof time === 'number') listeningMs = time - spawnedAt;
    }
    return { readyMs, cpuMs: cpu, listeningMs };
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `node -e ""`: what any Node server pays before its first line of code. */
async function bareNode(pinned: boolean): Promise<number> {
  const [file, args] = command(['-e', ''], pinned);
  const started = performance.now();
  const child = spawn(file, args, { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  return performance.now() - started;
}

export async function run(options: { quick?: boolean } = {}): Promise<BenchSection> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first`);
  const runs = options.quick ? 3 : 5;
  const pinned = hasTaskset();
  const load = loadavg()[0]!;
  await coldStart(pinned); // warms the OS file cache: every measured start reads the same files
  const starts: Start[] = [];
  for (let i = 0; i < runs; i++) starts.push(await coldStart(pinned));
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) bare.push(await bareNode(pinned));
  const ready = summarize(starts.map((s) => s.readyMs));
  const listening = summarize(
    starts.map((s) => s.listeningMs).filter((ms): ms is number => ms !== null),
  );
  const round = (n: number) => Math.round(n);
  return {
    id: 'cold-start',
    title: 'Cold start to ready (production entry, fresh SQLite)',
    figures: {
      runs,
      readyMedianMs: round(ready.p50),
      readyMinMs: round(Math.min(...starts.map((s) => s.readyMs))),
      readyMaxMs: round(Math.max(...starts.map((s) => s.readyMs))),
      listeningLoggedMedianMs: round(listening.p50),
      serverCpuAtReadyMedianMs: round(
        summarize(starts.map((s) => s.cpuMs).filter((ms): ms is number => ms !== null)).p50,
      ),
      bareNodeMedianMs: round(summarize(bare).p50),
    },
    goals: [
      {
        goal: 'Cold start to ready (spawn → first 200 from /readyz), median',
        target: `≤ ${GOAL_MS} ms`,
        measured: `${round(ready.p50)} ms`,
        pass: ready.p50 <= GOAL_MS,
      },
    ],
    notes: [
      `1-minute load average when the run started: ${load.toFixed(2)}.`,
      `Median of ${runs} starts after one unmeasured start (warm OS file cache), each with a new data directory: migrations on a new SQLite file and the first admin created from PALAVER_ADMIN_EMAIL/PASSWORD; /readyz polled every ${POLL_MS} ms.`,
      pinned
        ? 'Each process pinned to CPU 0 (taskset -c 0, which adds its own exec to the figure).'
        : 'taskset unavailable: not pinned to one core.',
      '"listening logged" is the server\'s own log timestamp (ms clock) minus the spawn time; "server CPU at ready" is the CPU time (all threads, 10 ms ticks) the server had used by then, which other processes cannot inflate as much as wall time; "bare node" is `node -e ""` on the same core, the floor of any Node server.',
    ],
  };
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
