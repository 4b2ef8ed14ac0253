/**
 * Reconnect herds (issue 9): handshake p50/p95 and health-check latency while every socket of an
 * instance comes back at once (a restart) or is asked to reconnect (a resync after Redis came
 * back), beside a bare `ws` server under the same client. The load generator
 * (bench/herd-load.ts) runs pinned to core 0, the servers to core 1.
 *
 *   npm run build && npx tsx bench/herd.ts [--quick]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { HerdReport, HerdResult, Latency } from './herd-load.js';
import { hasTaskset, ROOT } from './processes.js';
import type { BenchSection, GoalResult } from './types.js';

const LOAD = join(import.meta.dirname, 'herd-load.ts');
/**
 * Health checks must answer well within the probe timeouts of load balancers and orchestrators
 * (Kubernetes' default is 1 s): an instance busy with a herd must not be taken out of service.
 */
const HEALTH_P95_MS = 500;
const HEALTH_MAX_MS = 1000;
/** Every socket back within this long after the herd starts. */
const ALL_BACK_MS = 5000;

const fmt = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 1 : 0)} ms` : 'n/a');
const round = (x: number) => (Number.isFinite(x) ? Math.round(x) : null);

function latencyFigures(prefix: string, l: Latency): Record<string, number | null> {
  return {
    [`${prefix}P50Ms`]: round(l.p50),
    [`${prefix}P95Ms`]: round(l.p95),
    [`${prefix}MaxMs`]: round(l.max),
    [`${prefix}Samples`]: l.n,
  };
}

function goal(text: string, target: string, measured: string, pass: boolean): GoalResult {
  return { goal: text, target, measured, pass };
}

async function runLoadProcess(quick: boolean): Promise<HerdReport> {
  const dir = mkdtempSync(join(tmpdir(), 'palaver-bench-herd-out-'));
  const out = join(dir, 'report.json');
  const args = ['--import', 'tsx', LOAD, out, ...(quick ? ['--quick'] : [])];
  const [command, argv] = hasTaskset
    ? ['taskset', ['-c', '0', process.execPath, ...args]]
    : [process.execPath, args];
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(command, argv, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0 || !existsSync(out)) throw new Error(`herd load process exited ${code}`);
    return JSON.parse(readFileSync(out, 'utf8')) as HerdReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function healthGoal(name: string, r: HerdResult): GoalResult {
  const p95 = Math.max(r.healthz.p95, r.readyz?.p95 ?? 0);
  const max = Math.max(r.healthz.max, r.readyz?.max ?? 0);
  return goal(
    `${name}: /healthz and /readyz during the herd`,
    `p95 ≤ ${HEALTH_P95_MS} ms, max ≤ ${HEALTH_MAX_MS} ms`,
    `p95 ${fmt(r.healthz.p95)} / ${r.readyz ? fmt(r.readyz.p95) : 'n/a'}, max ${fmt(max)}`,
    p95 <= HEALTH_P95_MS && max <= HEALTH_MAX_MS,
  );
}

export function toSection(r: HerdReport): BenchSection {
  const { ours, echo } = r.restart;
  const n = r.plan.sockets.toLocaleString('en-US');
  const ratio = ours.handshake.p95 / echo.handshake.p95;
  const goals: GoalResult[] = [
    goal(
      `Restart herd (${n} sockets in 0.5 s): every socket back`,
      `all within ${ALL_BACK_MS / 1000} s`,
      `${ours.handshake.n} in ${fmt(ours.allReadyMs)}, ${ours.failed} failed`,
      ours.failed === 0 && ours.allReadyMs <= ALL_BACK_MS,
    ),
    goal(
      'Restart herd: handshake p95 vs bare ws (connect, one frame echoed) under the same client',
      '≤ 4×',
      `${fmt(ours.handshake.p95)} vs ${fmt(echo.handshake.p95)} (${ratio.toFixed(1)}×)`,
      ratio <= 4,
    ),
    healthGoal('Restart herd', ours),
  ];
  const figures: Record<string, number | string | null> = {
    sockets: r.plan.sockets,
    ...latencyFigures('restartHandshake', ours.handshake),
    restartAllReadyMs: round(ours.allReadyMs),
    restartFailed: ours.failed,
    ...latencyFigures('restartHealthz', ours.healthz),
    ...(ours.readyz ? latencyFigures('restartReadyz', ours.readyz) : {}),
    restartServerCpuPercent: round(ours.serverCpuPercent),
    ...latencyFigures('echoHandshake', echo.handshake),
    echoAllReadyMs: round(echo.allReadyMs),
    ...latencyFigures('echoHealthz', echo.healthz),
    echoServerCpuPercent: round(echo.serverCpuPercent),
    handshakeP95VsEcho: Number(ratio.toFixed(2)),
  };
  const notes = [
    hasTaskset && r.pinned
      ? 'Servers and the health checker pinned to core 1, the load generator to core 0.'
      : 'Not pinned (no taskset): client and servers share the cores.',
    'Restart herd: every visitor socket starts connecting at a random moment of 0.5 s (the widget’s first reconnect delay), sends its auth frame (half of them with a conversation to resume) and is timed to its `ready`; the bare server echoes the same auth frame. Health checks: GET on a new connection every 50 ms from a process of their own beside the server (as a load balancer is a machine of its own), so that the load generator’s busy core does not delay them.',
    `Bare ws under the same herd: health checks p95 ${fmt(echo.healthz.p95)} (max ${fmt(echo.healthz.max)}), all sockets ready in ${fmt(echo.allReadyMs)}.`,
  ];
  if (r.resync) {
    const s = r.resync;
    Object.assign(figures, {
      ...latencyFigures('resyncReconnect', s.handshake),
      resyncAllBackMs: round(s.allReadyMs),
      resyncFailed: s.failed,
      ...latencyFigures('resyncHealthz', s.healthz),
      ...(s.readyz ? latencyFigures('resyncReadyz', s.readyz) : {}),
      resyncServerCpuPercent: round(s.serverCpuPercent),
    });
    goals.push(
      goal(
        `Resync herd (${n} sockets asked to reconnect after Redis came back): every socket back`,
        'all, none lost',
        `${s.handshake.n} back in ${fmt(s.allReadyMs)}, ${s.failed} failed`,
        s.failed === 0,
      ),
      healthGoal('Resync herd', s),
    );
    notes.push(
      `Resync herd: Redis killed and restarted; the instance spreads its 1012 closes over time (2 ms per socket, at most 10 s) and each client reconnects a random 0–0.5 s after its close. Reconnect time runs from the close to the new \`ready\`: p50 ${fmt(s.handshake.p50)}, p95 ${fmt(s.handshake.p95)}.`,
    );
  } else {
    notes.push('Resync herd skipped: redis-server is not installed on this machine.');
  }
  if (r.plan.quick) notes.push('QUICK run: 300 sockets; goals are indicative only.');
  return {
    id: 'herd',
    title: `Reconnect herds: ${n} visitor sockets`,
    figures,
    goals,
    notes,
  };
}

export async function run(options: { quick: boolean }): Promise<BenchSection> {
  return toSection(await runLoadProcess(options.quick));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const section = await run({ quick: values.quick });
  console.log(JSON.stringify(section, null, 2));
}
