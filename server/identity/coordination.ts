import { Redis } from 'ioredis';

export type PauseKind = 'breaker' | 'retry_after';

/**
 * What instances must agree on so that N of them do not multiply calls to a site endpoint: who
 * is fetching a contact right now, the project's run of failures, and its pauses.
 */
export interface FetchCoordination {
  /** Becomes the one fetching `key` for at most `ttlMs`; false while someone else is. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  release(key: string): Promise<void>;
  /** One more failure in a row; returns how many there are now. */
  failure(projectId: string): Promise<number>;
  success(projectId: string): Promise<void>;
  pause(projectId: string, kind: PauseKind, until: number): Promise<void>;
  paused(projectId: string, now: number): Promise<{ kind: PauseKind; until: number } | null>;
  close(): Promise<void>;
}

/** One process: plain maps. */
export class LocalCoordination implements FetchCoordination {
  private readonly claims = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private readonly pauses = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  claim(key: string, ttlMs: number): Promise<boolean> {
    const held = this.claims.get(key);
    if (held !== undefined && held > this.now()) return Promise.resolve(false);
    this.claims.set(key, this.now() + ttlMs);
    return Promise.resolve(true);
  }

  release(key: string): Promise<void> {
    this.claims.delete(key);
    return Promise.resolve();
  }

  failure(projectId: string): Promise<number> {
    const count = (this.failures.get(projectId) ?? 0) + 1;
    this.failures.set(projectId, count);
    return Promise.resolve(count);
  }

  success(projectId: string): Promise<void> {
    this.failures.delete(projectId);
    return Promise.resolve();
  }

  pause(projectId: string, kind: PauseKind, until: number): Promise<void> {
    if (kind === 'breaker') this.failures.delete(projectId);
    this.pauses.set(`${kind}\u0000${projectId}`, until);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  paused(projectId: string, now: number) {
    return Promise.resolve(
      latestPause(now, {
        breaker: this.pauses.get(`breaker\u0000${projectId}`),
        retry_after: this.pauses.get(`retry_after\u0000${projectId}`),
      }),
    );
  }
}

function latestPause(now: number, until: Record<PauseKind, number | undefined>) {
  const live = (Object.entries(until) as Array<[PauseKind, number | undefined]>)
    .filter((entry): entry is [PauseKind, number] => entry[1] !== undefined && entry[1] > now)
    .sort((a, b) => b[1] - a[1]);
  const first = live[0];
  return first ? { kind: first[0], until: first[1] } : null;
}

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
