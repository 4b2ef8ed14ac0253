/** Send and arrival times of one phase's messages, and the latency figures made from them. */
import { performance } from 'node:perf_hooks';
import { summarize } from '../types.js';
import { clientMessageIdOf } from './clients.js';
import type { Latency } from './report.js';

/** Ids are `<phase letter><index>`; the index points into the phase's tracker. */
export class Tracker {
  readonly sentAt: Float64Array;
  readonly acked: Uint8Array;
  readonly delivered: Uint8Array;
  readonly ackMs: number[] = [];
  readonly deliveryMs: number[] = [];
  readonly ackTimes: number[] = [];
  readonly deliveryTimes: number[] = [];
  sent = 0;
  errors = 0;
  firstError: string | null = null;

  constructor(
    readonly prefix: string,
    capacity: number,
  ) {
    this.sentAt = new Float64Array(capacity);
    this.acked = new Uint8Array(capacity);
    this.delivered = new Uint8Array(capacity);
  }

  /** Reserves the next id and stamps its send time. */
  next(): { index: number; id: string } {
    const index = this.sent++;
    this.sentAt[index] = performance.now();
    return { index, id: `${this.prefix}${index}` };
  }

  private indexOf(text: string): number {
    const id = clientMessageIdOf(text);
    if (!id || id[0] !== this.prefix) return -1;
    const index = Number(id.slice(1));
    return index < this.sent ? index : -1;
  }

  /** Records an ack (or echo); returns the index, or -1 when the frame is not ours. */
  ack(text: string, now: number): number {
    const index = this.indexOf(text);
    if (index < 0 || this.acked[index]) return -1;
    this.acked[index] = 1;
    this.ackMs.push(now - this.sentAt[index]!);
    this.ackTimes.push(now);
    return index;
  }

  deliver(text: string, now: number): void {
    const index = this.indexOf(text);
    if (index < 0 || this.delivered[index]) return;
    this.delivered[index] = 1;
    this.deliveryMs.push(now - this.sentAt[index]!);
    this.deliveryTimes.push(now);
  }

  error(text: string): void {
    this.errors++;
    this.firstError ??= text.slice(0, 300);
  }
}

export function latency(samples: number[]): Latency {
  const s = summarize(samples);
  let max = 0;
  for (const x of samples) if (x > max) max = x;
  return { p50: s.p50, p99: s.p99, n: s.n, max };
}

/** Ack p99 (ms) per second of send time. */
export function bySecond(tracker: Tracker, started: number, seconds: number): number[] {
  const buckets: number[][] = Array.from({ length: seconds + 1 }, () => []);
  for (let i = 0; i < tracker.ackMs.length; i++) {
    const sentAt = tracker.ackTimes[i]! - tracker.ackMs[i]!;
    buckets[Math.min(seconds, Math.max(0, Math.floor((sentAt - started) / 1000)))]!.push(
      tracker.ackMs[i]!,
    );
  }
  return buckets.filter((b) => b.length).map((b) => Number(summarize(b).p99.toFixed(2)));
}
