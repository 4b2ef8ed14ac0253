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
