/**
 * Process and client plumbing shared by the load generators (bench/realtime-load/,
 * bench/herd-load.ts): servers pinned to their own core, free ports, CPU readings, pacing.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export { freePort } from '../test/support/ports.js';

export const ROOT = join(import.meta.dirname, '..');
/** The core servers under test run on; load generators run on core 0. */
export const SERVER_CPU = '1';

/**
 * All bench load comes from 127.0.0.1: the per-address and per-visitor limits are lifted (still
 * counted, so their cost stays in the figures).
 */
export const UNLIMITED_RATES = {
  PALAVER_SESSION_RATE_LIMIT: '1000000000',
  PALAVER_VISITOR_MESSAGE_RATE_LIMIT: '1000000000',
  PALAVER_ADDRESS_MESSAGE_RATE_LIMIT: '1000000000',
};

export const hasTaskset = (() => {
  try {
    return existsSync('/usr/bin/taskset') || existsSync('/bin/taskset');
  } catch {
    return false;
  }
})();

/** Moves a running process (all its threads) to SERVER_CPU; false when taskset is missing. */
export function pinToServerCpu(pid: number): boolean {
  if (!hasTaskset) return false;
  execFileSync('taskset', ['-a', '-p', '-c', SERVER_CPU, String(pid)], { stdio: 'ignore' });
  return true;
}

export interface Pinned {
  child: ChildProcess;
  pid: number;
  output: string[];
  stop(): Promise<void>;
}

/** Spawns `node args` on SERVER_CPU (taskset execs node: the pid is node's own). */
export function spawnPinned(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<Pinned & { match: RegExpMatchArray }> {
  const [command, argv] = hasTaskset
    ? ['taskset', ['-c', SERVER_CPU, process.execPath, ...args]]
    : [process.execPath, args];
  const child = spawn(command, argv, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        output.push(line);
        const match = line.match(ready);
        if (match)
          resolve({
            child,
            pid: child.pid!,
            output,
            match,
            async stop() {
              if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
              await exited;
            },
          });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`${args.at(-1)} exited with ${code}:\n${output.join('\n')}`)),
    );
  });
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name: state is field 3, utime 14 and stime 15 (1-based) → 11, 12 here.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `fn(i)` for i in [from, to) with at most `concurrency` at once. */
export async function pool<T>(
  from: number,
  to: number,
  concurrency: number,
  fn: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(to - from);
  let next = from;
  const worker = async () => {
    while (next < to) {
      const i = next++;
      results[i - from] = await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, to - from) }, worker));
  return results;
}
