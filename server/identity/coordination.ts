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

export function latestPause(now: number, until: Record<PauseKind, number | undefined>) {
  const live = (Object.entries(until) as Array<[PauseKind, number | undefined]>)
    .filter((entry): entry is [PauseKind, number] => entry[1] !== undefined && entry[1] > now)
    .sort((a, b) => b[1] - a[1]);
  const first = live[0];
  return first ? { kind: first[0], until: first[1] } : null;
}
