/** The raw figures the load process writes, read back by bench/realtime.ts. */
import type { LoadPlan } from './plan.js';

export interface Latency {
  p50: number;
  p99: number;
  n: number;
  max: number;
}

export interface PacedResult {
  sent: number;
  acknowledged: number;
  lost: number;
  errors: number;
  firstError: string | null;
  ack: Latency;
  throughputPerSecond: number;
  /** Server process CPU time over the phase, in % of one core. */
  serverCpuPercent: number;
  /** The client's own event-loop delay (p99, ms): how much the load generator adds. */
  clientLoopDelayP99: number;
  /** Ack p99 of the messages sent in each second of the run (ms). */
  ackP99BySecond: number[];
}

export interface SaturationResult {
  sockets: number;
  seconds: number;
  /** Median of the per-second counts after the warm-up. */
  plateauAckedPerSecond: number;
  plateauDeliveredPerSecond: number | null;
  perSecond: number[];
  ack: Latency;
  sent: number;
  acknowledged: number;
  lost: number;
  errors: number;
  serverCpuPercent: number;
  clientCpuPercent: number;
  /** True when every socket sent at the per-socket cap: the server was not the limit. */
  cappedByClient: boolean;
}

export interface BroadcastResult {
  sockets: number;
  trials: number;
  missing: number;
  each: Latency;
  lastPerTrial: Latency;
}

export interface FanOutResult {
  watchers: number;
  trials: number;
  each: Latency;
  lastPerTrial: Latency;
}

export interface MemoryResult {
  sockets: number;
  rssBefore: number;
  rssAfter: number;
  heapBefore: number | null;
  heapAfter: number | null;
  externalBefore: number | null;
  externalAfter: number | null;
}

export interface LoadReport {
  plan: LoadPlan;
  pinned: { server: boolean; load: boolean };
  roundTrip: {
    ours: PacedResult & { delivery: Latency; delivered: number };
    echo: PacedResult;
  };
  /** The round trip once more, warm: the baseline of the run with a webhook. */
  roundTripWarm: PacedResult & { delivery: Latency; delivered: number };
  /** The warm round trip with a message.created webhook delivered as the load runs. */
  roundTripWithWebhook: {
    ours: PacedResult & { delivery: Latency; delivered: number };
    /** Deliveries that reached the receiver, and their lag behind the message. */
    webhooks: { received: number; lag: Latency };
  };
  saturation: { ours: SaturationResult; echo: SaturationResult };
  fanOut: FanOutResult[];
  broadcast: BroadcastResult[];
  /** The same broadcasts from the bare ws server to as many sockets. */
  broadcastEcho: BroadcastResult[];
  memory: MemoryResult;
  sessions: { count: number; seconds: number };
  /**
   * CPU used by everything else on the machine during the run (% of one core, averaged): other
   * work on this 2-core machine skews every figure above.
   */
  otherCpuPercent: number;
  elapsedSeconds: number;
  profile: string | null;
}
