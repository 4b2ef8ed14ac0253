/** Saturation: closed loop, one message in flight per socket, for a fixed time. */
import { performance } from 'node:perf_hooks';
import { sleep } from '../processes.js';
import type { ClientSocket } from './clients.js';
import { cpuMeter } from './meters.js';
import type { LoadPlan } from './plan.js';
import type { SaturationResult } from './report.js';
import { latency, type Tracker } from './tracker.js';

/**
 * Every target sends again as soon as its previous message is acknowledged, but not sooner than
 * `minGapMs` after its last send; `watcher`, when given, counts deliveries.
 */
export async function saturate(
  sat: LoadPlan['saturation'],
  targets: ClientSocket[],
  tracker: Tracker,
  pid: number,
  minGapMs: number,
  watcher: ClientSocket | null,
): Promise<SaturationResult> {
  let running = true;
  const payload = (id: string) =>
    `{"type":"send","clientMessageId":"${id}","body":"saturation message ${id}"}`;
  const sendNext = (socket: ClientSocket) => {
    if (!running || socket.closed) return;
    socket.send(payload(tracker.next().id));
  };
  const schedule = (socket: ClientSocket, now: number) => {
    const wait = socket.lastSend + minGapMs - now;
    if (wait <= 0) sendNext(socket);
    else setTimeout(sendNext, wait, socket);
  };
  let capped = 0;
  for (const socket of targets) {
    socket.handler = (s, text, now) => {
      if (text.startsWith('{"type":"ack"') || text.startsWith('{"type":"send"')) {
        if (tracker.ack(text, now) < 0) return;
        if (now - s.lastSend < minGapMs) capped++;
        schedule(s, now);
      } else if (text.startsWith('{"type":"error"')) {
        tracker.error(text);
        setTimeout(sendNext, 1000, s);
      }
    };
  }
  if (watcher) {
    watcher.handler = (_s, text, now) => {
      if (text.startsWith('{"type":"message"')) tracker.deliver(text, now);
    };
  }
  const cpu = cpuMeter(pid);
  const clientCpu = process.cpuUsage();
  const started = performance.now();
  // Staggered over 100 ms so the first second is not one burst of every socket at once.
  targets.forEach((socket, i) => setTimeout(sendNext, (i / targets.length) * 100, socket));
  await sleep(sat.seconds * 1000);
  running = false;
  const stoppedAt = performance.now();
  const serverCpuPercent = cpu();
  const used = process.cpuUsage(clientCpu);
  const clientCpuPercent = (100 * (used.user + used.system)) / 1e6 / ((stoppedAt - started) / 1000);
  const drainUntil = performance.now() + 10_000;
  while (
    (tracker.ackMs.length < tracker.sent ||
      (watcher && tracker.deliveryMs.length < tracker.sent)) &&
    performance.now() < drainUntil
  ) {
    await sleep(20);
  }
  const buckets = (times: number[]) => {
    const counts = new Array<number>(sat.seconds).fill(0);
    for (const t of times) {
      const b = Math.floor((t - started) / 1000);
      if (b >= 0 && b < sat.seconds) counts[b]!++;
    }
    return counts;
  };
  // The mean rate after the warm-up: closed-loop senders fall into waves (a socket sends again
  // when its ack arrives), so single seconds swing between wave crests and troughs.
  const plateau = (counts: number[]) => {
    const steady = counts.slice(sat.warmupSeconds);
    return Math.round(steady.reduce((sum, n) => sum + n, 0) / Math.max(1, steady.length));
  };
  const acked = buckets(tracker.ackTimes);
  const ackedTotal = tracker.ackMs.length;
  return {
    sockets: targets.length,
    seconds: sat.seconds,
    plateauAckedPerSecond: plateau(acked),
    plateauDeliveredPerSecond: watcher ? plateau(buckets(tracker.deliveryTimes)) : null,
    perSecond: acked,
    ack: latency(tracker.ackMs),
    sent: tracker.sent,
    acknowledged: ackedTotal,
    lost: tracker.sent - (watcher ? Math.min(ackedTotal, tracker.deliveryMs.length) : ackedTotal),
    errors: tracker.errors,
    serverCpuPercent,
    clientCpuPercent,
    cappedByClient: ackedTotal > 0 && capped / ackedTotal > 0.9,
  };
}
