import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimitPolicy } from './policies.js';

/** Where counts live: this process, or Redis shared by every instance. */
export interface LimitStore {
  counter(policy: LimitPolicy): RateLimiterAbstract;
  close(): Promise<void>;
}

export function memoryCounter(policy: LimitPolicy): RateLimiterMemory {
  return new RateLimiterMemory({
    keyPrefix: policy.name,
    points: policy.points,
    duration: policy.windowMs / 1000,
  });
}

/** One instance alone: counts in memory. */
export class MemoryLimitStore implements LimitStore {
  counter(policy: LimitPolicy): RateLimiterAbstract {
    return memoryCounter(policy);
  }

  async close(): Promise<void> {}
}
