/** How long a card an agent saw stays known for checking their click on it, past its cache time. */
const SEEN_MS = 30 * 60_000;

/**
 * Card answers kept in memory: served again for their card's cache time, and remembered a while
 * longer as the card the agent last saw (the one a click must match). Bounded: past `max` entries
 * the oldest written goes first, so that many contacts cost memory only up to the bound.
 */
export class CardCache<T> {
  private readonly entries = new Map<
    string,
    { value: T; at: number; fresh: number; seen: number }
  >();

  constructor(
    private readonly now: () => number,
    private readonly max = 5_000,
  ) {}

  /** The answer while it may be served again, with when it was fetched. */
  fresh(key: string): { value: T; at: number } | null {
    const entry = this.entries.get(key);
    return entry && entry.fresh > this.now() ? entry : null;
  }

  /** The answer an agent last saw, fresh or not. */
  seen(key: string): T | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.seen > this.now()) return entry.value;
    this.entries.delete(key);
    return null;
  }

  set(key: string, value: T, freshMs: number): void {
    this.entries.delete(key);
    const at = this.now();
    this.entries.set(key, {
      value,
      at,
      fresh: at + freshMs,
      seen: at + Math.max(freshMs, SEEN_MS),
    });
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
