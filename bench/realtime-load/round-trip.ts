/** Round trip: visitors each sending at a steady rate, against Palaver and the bare ws echo server. */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { sleep } from '../processes.js';
import type { ClientSocket } from './clients.js';
import { cpuMeter, settle } from './meters.js';
import type { LoadPlan } from './plan.js';
import type { LoadReport, PacedResult } from './report.js';
import type { Rig } from './rig.js';
import { bySecond, latency, Tracker } from './tracker.js';

type Pace = LoadPlan['roundTrip'];

const sendFrame = (id: string, body: string) =>
  JSON.stringify({ type: 'send', clientMessageId: id, body });

/** Each target sends `pace.rate` messages a second for `pace.seconds`, staggered evenly. */
async function paced(
  targets: ClientSocket[],
  tracker: Tracker,
  pace: Pace,
  pid: number,
  onAck: (text: string, now: number) => void,
): Promise<PacedResult> {
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const cpu = cpuMeter(pid);
  const n = targets.length;
  for (const socket of targets) {
    socket.handler = (_s, text, now) => {
      if (text.startsWith('{"type":"ack"') || text.startsWith('{"type":"send"')) {
        tracker.ack(text, now);
        onAck(text, now);
      } else if (text.startsWith('{"type":"error"')) tracker.error(text);
    };
  }
  const started = performance.now();
  const interval = 1000 / pace.rate;
  const count = pace.seconds * pace.rate;
  await Promise.all(
    targets.map(
      (socket, v) =>
        new Promise<void>((resolve) => {
          let k = 0;
          const tick = () => {
            const { id } = tracker.next();
            socket.send(sendFrame(id, `hello from visitor ${v}, message ${k}`));
            if (++k >= count) return resolve();
            const due = started + (v / n) * interval + k * interval;
            setTimeout(tick, Math.max(0, due - performance.now()));
          };
          setTimeout(tick, (v / n) * interval);
        }),
    ),
  );
  const drainUntil = performance.now() + 10_000;
  while (tracker.ackMs.length < tracker.sent && performance.now() < drainUntil) await sleep(20);
  const elapsed = ((tracker.ackTimes.at(-1) ?? performance.now()) - started) / 1000;
  const serverCpuPercent = cpu();
  loopDelay.disable();
  return {
    sent: tracker.sent,
    acknowledged: tracker.ackMs.length,
    lost: tracker.sent - tracker.ackMs.length,
    errors: tracker.errors,
    firstError: tracker.firstError,
    ack: latency(tracker.ackMs),
    throughputPerSecond: Math.round(tracker.ackMs.length / elapsed),
    serverCpuPercent,
    clientLoopDelayP99: loopDelay.percentile(99) / 1e6,
    ackP99BySecond: bySecond(tracker, started, pace.seconds),
  };
}

/**
 * Palaver's round trip from `visitors`, with `agent` watching for delivery; the conversation the
 * agent saw is returned for the fan-out phase. Each run on the same sockets needs a `prefix` of
 * its own: the server takes a repeated client message id for a retry and stores nothing new.
 */
export async function measureRoundTrip(
  rig: Rig,
  pace: Pace,
  visitors: ClientSocket[],
  agent: ClientSocket,
  log: (line: string) => void,
  prefix = 'r',
): Promise<{ ours: LoadReport['roundTrip']['ours']; conversationId: string | null }> {
  log(`round trip: ${pace.visitors} visitors × ${pace.rate}/s for ${pace.seconds} s (Palaver)`);
  const tracker = new Tracker(prefix, pace.visitors * pace.seconds * pace.rate);
  let conversationId: string | null = null;
  agent.handler = (_s, text, now) => {
    if (text.startsWith('{"type":"message"')) tracker.deliver(text, now);
  };
  const result = await paced(visitors, tracker, pace, rig.server.pid, (text) => {
    if (conversationId) return;
    conversationId = /"conversationId":"([^"]+)"/.exec(text)?.[1] ?? null;
  });
  const deliverUntil = performance.now() + 5000;
  while (tracker.deliveryMs.length < tracker.sent && performance.now() < deliverUntil) {
    await sleep(20);
  }
  const ours = {
    ...result,
    lost: tracker.sent - Math.min(tracker.ackMs.length, tracker.deliveryMs.length),
    delivery: latency(tracker.deliveryMs),
    delivered: tracker.deliveryMs.length,
  };
  log(
    `  ack p50 ${result.ack.p50.toFixed(2)} p99 ${result.ack.p99.toFixed(2)} ms, lost ${ours.lost}`,
  );
  return { ours, conversationId };
}

/** The same load against the bare ws echo server, on sockets of its own. */
export async function measureEchoRoundTrip(
  rig: Rig,
  pace: Pace,
  log: (line: string) => void,
): Promise<PacedResult> {
  log(`round trip: same load against the bare ws echo server`);
  const sockets = await rig.openEcho(0, pace.visitors);
  await settle(rig.echo.pid);
  const tracker = new Tracker('e', pace.visitors * pace.seconds * pace.rate);
  const result = await paced(sockets, tracker, pace, rig.echo.pid, () => {});
  await Promise.all(sockets.map((s) => s.close()));
  log(`  echo p50 ${result.ack.p50.toFixed(2)} p99 ${result.ack.p99.toFixed(2)} ms`);
  return result;
}
