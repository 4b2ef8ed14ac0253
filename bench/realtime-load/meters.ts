/** CPU and memory readings of the processes under load, from /proc and the server's inspector. */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { cpuSeconds, sleep } from '../processes.js';

/** CPU seconds the whole machine has spent busy (all cores, from /proc/stat). */
function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, , , irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (
    ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100
  );
}

/**
 * Starts the run's clock; `finish` tells how much CPU everything but the bench's own processes
 * (this one and `pids`) used meanwhile, in % of one core.
 */
export function runClock(): {
  finish(pids: number[]): { otherCpuPercent: number; elapsedSeconds: number };
} {
  const started = performance.now();
  const machineBefore = machineBusySeconds();
  const ownBefore = process.cpuUsage();
  return {
    finish(pids) {
      const ownUsage = process.cpuUsage(ownBefore);
      const benchCpu =
        pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) +
        (ownUsage.user + ownUsage.system) / 1e6;
      const elapsedSeconds = (performance.now() - started) / 1000;
      const otherCpuPercent = Math.max(
        0,
        (100 * (machineBusySeconds() - machineBefore - benchCpu)) / elapsedSeconds,
      );
      return { otherCpuPercent, elapsedSeconds };
    },
  };
}

/** Starts measuring a process; the function returned gives its CPU use since, in % of one core. */
export function cpuMeter(pid: number): () => number {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  return () => (100 * (cpuSeconds(pid) - cpu0)) / ((performance.now() - t0) / 1000);
}

/**
 * Waits until the process has been (nearly) idle for 200 ms, at most 5 s: work left over from a
 * previous phase (thousands of closing sockets) must not be timed as part of the next one.
 */
export async function settle(pid: number): Promise<void> {
  const until = performance.now() + 5000;
  for (;;) {
    const before = cpuSeconds(pid);
    await sleep(200);
    if (cpuSeconds(pid) - before <= 0.02 || performance.now() > until) return;
  }
}

export function vmRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  return Number(kb) * 1024;
}

/**
 * The server's V8 heap, through the inspector it was started with (`--inspect=127.0.0.1:0`):
 * forces a full GC, then reads process.memoryUsage() in the server's own context. Nothing is
 * added to the server for this.
 */
export async function serverHeap(
  inspectorUrl: string,
): Promise<{ heapUsed: number; external: number } | null> {
  const ws = new WebSocket(inspectorUrl);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const call = (method: string, params: object = {}) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      const onMessage = (data: WebSocket.RawData) => {
        const reply = JSON.parse((data as Buffer).toString()) as {
          id?: number;
          result?: Record<string, unknown>;
          error?: unknown;
        };
        if (reply.id !== id) return;
        ws.off('message', onMessage);
        if (reply.error) reject(new Error(JSON.stringify(reply.error)));
        else resolve(reply.result ?? {});
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const result = await call('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    });
    const value = (result.result as { value?: string } | undefined)?.value;
    if (!value) return null;
    const usage = JSON.parse(value) as { heapUsed: number; external: number };
    return { heapUsed: usage.heapUsed, external: usage.external };
  } catch {
    return null;
  } finally {
    ws.close();
  }
}
