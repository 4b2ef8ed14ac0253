import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimitPolicy } from './policies.js';

/** The state of one key's count after taking a point. */
export interface Verdict {
  allowed: boolean;
  /** Points left in the current window. */
  remaining: number;
  /** Until the window ends and the count starts again. */
  resetMs: number;
}

/** One policy over a store: take a point per attempt, give it back when it should not count. */
export class Limiter {
  constructor(
    readonly policy: LimitPolicy,
    private readonly counter: RateLimiterAbstract,
  ) {}

  async take(key: string): Promise<Verdict> {
    try {
      return verdict(true, await this.counter.consume(key));
    } catch (error) {
      // The library rejects with the count itself when the limit is reached.
      if (error instanceof RateLimiterRes) return verdict(false, error);
      throw error;
    }
  }

  async giveBack(key: string): Promise<void> {
    await this.counter.reward(key);
  }
}

function verdict(allowed: boolean, res: RateLimiterRes): Verdict {
  return { allowed, remaining: res.remainingPoints, resetMs: Math.max(0, res.msBeforeNext) };
}

/** "wait 12 seconds", "wait 3 minutes": for messages a person reads. */
export function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 120) return `wait ${seconds} second${seconds === 1 ? '' : 's'}`;
  return `wait ${Math.ceil(seconds / 60)} minutes`;
}
