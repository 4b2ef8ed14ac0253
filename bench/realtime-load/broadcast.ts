/** Project-wide broadcast: one presence frame reaching every visitor socket, and the bare-ws baseline. */
import { performance } from 'node:perf_hooks';
import { sleep } from '../processes.js';
import type { ClientSocket } from './clients.js';
import { settle } from './meters.js';
import type { LoadPlan } from './plan.js';
import type { BroadcastResult } from './report.js';
import type { Rig } from './rig.js';
import { latency } from './tracker.js';

/**
 * Times `trials` broadcasts: each `trigger()` must make one presence frame reach every socket;
 * the clock starts just before the trigger and stops at each socket's frame.
 */
async function timeBroadcasts(
  targets: ClientSocket[],
  trials: number,
  trigger: () => Promise<void> | void,
): Promise<BroadcastResult> {
  const each: number[] = [];
  const last: number[] = [];
  let missing = 0;
  for (let trial = 0; trial < trials; trial++) {
    let got = 0;
    let lastAt = 0;
    let t0 = 0;
    let done: () => void = () => {};
    const all = new Promise<void>((resolve) => {
      done = resolve;
    });
    for (const socket of targets) {
      socket.handler = (_s, text, now) => {
        if (!text.startsWith('{"type":"presence"')) return;
        each.push(now - t0);
        lastAt = now;
        if (++got === targets.length) done();
      };
    }
    t0 = performance.now();
    await trigger();
    await Promise.race([all, sleep(10_000)]);
    missing += targets.length - got;
    last.push(lastAt - t0);
    await sleep(50);
  }
  return {
    sockets: targets.length,
    trials,
    missing,
    each: latency(each),
    lastPerTrial: latency(last),
  };
}

/**
 * An agent's presence change reaches every visitor of the project: an agent socket opening or
 * closing is the trigger. Largest size first, closing visitor sockets between sizes.
 */
export async function measureBroadcast(
  rig: Rig,
  p: LoadPlan,
  log: (line: string) => void,
): Promise<BroadcastResult[]> {
  const results: BroadcastResult[] = [];
  for (const size of [...p.broadcastSizes].sort((a, b) => b - a)) {
    const targets = await rig.visitors(size);
    await settle(rig.server.pid);
    let agent: ClientSocket | null = null;
    const result = await timeBroadcasts(targets, p.broadcastTrials * 2, async () => {
      if (agent === null) agent = await rig.openAgent();
      else {
        void agent.close();
        agent = null;
      }
    });
    if (agent) await (agent as ClientSocket).close();
    results.push(result);
    log(`broadcast to ${size}: all p99 ${result.lastPerTrial.p99.toFixed(1)} ms`);
  }
  return results;
}

/**
 * The same broadcasts from the bare ws server, smallest size first, growing `echoSockets` (left
 * open for the echo saturation run).
 */
export async function measureEchoBroadcast(
  rig: Rig,
  p: LoadPlan,
  echoSockets: ClientSocket[],
  log: (line: string) => void,
): Promise<BroadcastResult[]> {
  const results: BroadcastResult[] = [];
  for (const size of [...p.broadcastSizes].sort((a, b) => a - b)) {
    echoSockets.push(...(await rig.openEcho(echoSockets.length, size)));
    await settle(rig.echo.pid);
    const result = await timeBroadcasts(echoSockets, p.broadcastTrials * 2, () =>
      echoSockets[0]!.send('{"type":"broadcast"}'),
    );
    results.push(result);
    log(`bare ws broadcast to ${size}: all p99 ${result.lastPerTrial.p99.toFixed(1)} ms`);
  }
  return results;
}
