/** One benchmark's figures and how they compare to the goals in BENCHMARKS.md. */
export interface BenchSection {
  /** Short id, e.g. "page-cost", "messages". */
  id: string;
  title: string;
  /** Raw figures, for bench/results/latest.json. */
  figures: Record<string, number | string | null>;
  goals: GoalResult[];
  /** Anything a reader needs to interpret the figures (load, machine limits, skipped parts). */
  notes?: string[];
}

export interface GoalResult {
  goal: string;
  target: string;
  measured: string;
  pass: boolean;
}

/** Median and tail of a sample, in the sample's unit. */
export function summarize(samples: number[]): { p50: number; p99: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
  return { p50: at(0.5), p99: at(0.99), n: sorted.length };
}

/**
 * The same ~1 ms of CPU work timed 300 times: its p99 − p50 is what preemption by other
 * processes (and the VM) adds to the tails measured alongside, not something Palaver does.
 */
export function noiseFloor(): { p50: number; p99: number } {
  const spin = (n: number) => {
    let x = 0;
    for (let i = 0; i < n; i++) x += Math.sqrt(i);
    return x;
  };
  let n = 100_000;
  for (let i = 0; i < 30; i++) spin(n); // JIT
  const t0 = performance.now();
  spin(n);
  n = Math.max(1000, Math.round(n / Math.max(0.01, performance.now() - t0)));
  const samples: number[] = [];
  for (let i = 0; i < 300; i++) {
    const started = performance.now();
    spin(n);
    samples.push(performance.now() - started);
  }
  const { p50, p99 } = summarize(samples);
  return { p50, p99 };
}
