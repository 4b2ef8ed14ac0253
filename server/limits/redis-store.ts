import { Redis } from 'ioredis';
import { RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';
import type { LimitPolicy } from './policies.js';
import { memoryCounter, type LimitStore } from './store.js';

/**
 * Counts in Redis, so that every instance counts against the same limit. While Redis is away each
 * instance counts on its own (the in-memory insurance limiter) instead of failing requests.
 */
export class RedisLimitStore implements LimitStore {
  private readonly client: Redis;
  private degraded = false;

  constructor(
    url: string,
    private readonly prefix: string,
    logger: Logger,
  ) {
    // Without an offline queue a command fails at once while Redis is down: a request then waits
    // for no reconnect, and the insurance limiter answers.
    this.client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.client.on('error', (error: Error) => {
      if (this.degraded) return;
      this.degraded = true;
      logger.warn(
        { err: error },
        'redis unavailable for rate limits: each instance counts on its own until it is back',
      );
    });
    this.client.on('ready', () => {
      if (!this.degraded) return;
      this.degraded = false;
      logger.info('redis is back: rate limits are shared by all instances again');
    });
  }

  counter(policy: LimitPolicy): RateLimiterAbstract {
    return new RateLimiterRedis({
      storeClient: this.client,
      keyPrefix: `${this.prefix}limit:${policy.name}`,
      points: policy.points,
      duration: policy.windowMs / 1000,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memoryCounter(policy),
    });
  }

  close(): Promise<void> {
    this.client.disconnect();
    return Promise.resolve();
  }
}
