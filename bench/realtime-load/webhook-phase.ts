/**
 * The round trip again with a message.created webhook: every message also writes a delivery in
 * its transaction, and the server POSTs it to a receiver (bench/webhook-receiver.ts, a process of
 * its own on the load core) while the load runs.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { ClientSocket } from './clients.js';
import type { LoadPlan } from './plan.js';
import type { LoadReport } from './report.js';
import type { Rig } from './rig.js';
import { measureRoundTrip } from './round-trip.js';
import { latency } from './tracker.js';

const RECEIVER = join(import.meta.dirname, '..', 'webhook-receiver.ts');
/** How long deliveries may trail the last message before the missing ones count as lost. */
const DRAIN_MS = 10_000;

export async function measureRoundTripWithWebhook(
  rig: Rig,
  pace: LoadPlan['roundTrip'],
  visitors: ClientSocket[],
  agent: ClientSocket,
  log: (line: string) => void,
): Promise<LoadReport['roundTripWithWebhook']> {
  const receiver = fork(RECEIVER, { execArgv: ['--import', 'tsx'] });
  const lags: number[] = [];
  let drained: (() => void) | null = null;
  let expected = Infinity;
  try {
    const port = await new Promise<number>((resolve) => {
      receiver.on('message', (m: { port?: number; lagMs?: number }) => {
        if (m.port !== undefined) resolve(m.port);
        if (m.lagMs === undefined) return;
        lags.push(m.lagMs);
        if (lags.length >= expected) drained?.();
      });
    });
    await rig.subscribeWebhook(`http://127.0.0.1:${port}/hooks`);
    log('with a message.created webhook:');
    const { ours } = await measureRoundTrip(rig, pace, visitors, agent, log, 'h');
    expected = ours.acknowledged;
    if (lags.length < expected) {
      await new Promise<void>((resolve) => {
        drained = resolve;
        setTimeout(resolve, DRAIN_MS).unref();
      });
    }
    log(`  ${lags.length} of ${expected} webhooks received`);
    await rig.subscribeWebhook(null);
    return { ours, webhooks: { received: lags.length, lag: latency(lags) } };
  } finally {
    receiver.kill();
  }
}
