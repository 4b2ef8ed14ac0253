import { Redis } from 'ioredis';
import {
  latestPause,
  LocalCoordination,
  type FetchCoordination,
  type PauseKind,
} from './coordination.js';

/** How long a run of failures is remembered without a new one. */
const FAILURE_MEMORY_MS = 10 * 60_000;

/**
 * Several instances: the same state in Redis. When Redis is unreachable each instance falls back
 * to its own memory, which only means more calls to the site, never fewer chats.
 */
export class RedisCoordination implements FetchCoordination {
  private readonly local: LocalCoordination;
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    now: () => number = Date.now,
  ) {
    this.local = new LocalCoordination(now);
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    // Outages are logged by the bus, which shares the server; here they only mean local state.
    this.redis.on('error', () => undefined);
  }

  /** Whether state is shared with the other instances right now (else kept locally). */
  shared(): boolean {
    return this.redis.status === 'ready';
  }

  close(): Promise<void> {
    this.redis.disconnect();
    return Promise.resolve();
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    return this.orLocal(
      async () => (await this.redis.set(this.k('fetch', key), '1', 'PX', ttlMs, 'NX')) === 'OK',
      () => this.local.claim(key, ttlMs),
    );
  }

  release(key: string): Promise<void> {
    return this.orLocal(
      async () => void (await this.redis.del(this.k('fetch', key))),
      () => this.local.release(key),
    );
  }

  failure(projectId: string): Promise<number> {
    return this.orLocal(
      async () => {
        const key = this.k('failures', projectId);
        const [[, count]] = (await this.redis
          .multi()
          .incr(key)
          .pexpire(key, FAILURE_MEMORY_MS)
          .exec()) as [[Error | null, number], unknown];
        return count;
      },
      () => this.local.failure(projectId),
    );
  }

  success(projectId: string): Promise<void> {
    return this.orLocal(
      async () => void (await this.redis.del(this.k('failures', projectId))),
      () => this.local.success(projectId),
    );
  }

  pause(projectId: string, kind: PauseKind, until: number): Promise<void> {
    return this.orLocal(
      async () => {
        const ms = Math.max(1, Math.ceil(until - Date.now()));
        const multi = this.redis
          .multi()
          .set(this.k(`pause:${kind}`, projectId), String(until), 'PX', ms);
        if (kind === 'breaker') multi.del(this.k('failures', projectId));
        await multi.exec();
      },
      () => this.local.pause(projectId, kind, until),
    );
  }

  paused(projectId: string, now: number) {
    return this.orLocal(
      async () => {
        const [breaker, retryAfter] = await this.redis.mget(
          this.k('pause:breaker', projectId),
          this.k('pause:retry_after', projectId),
        );
        return latestPause(now, {
          breaker: breaker ? Number(breaker) : undefined,
          retry_after: retryAfter ? Number(retryAfter) : undefined,
        });
      },
      () => this.local.paused(projectId, now),
    );
  }

  private k(kind: string, key: string): string {
    return `${this.prefix}identity:${kind}:${key}`;
  }

  private async orLocal<T>(remote: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (this.redis.status !== 'ready') return local();
    try {
      return await remote();
    } catch {
      return local();
    }
  }
}
