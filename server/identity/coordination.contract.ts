import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FetchCoordination } from './coordination.js';

/**
 * The behaviour every FetchCoordination adapter must have. `open` gives two instances of one
 * deployment (for a single-process adapter, the same object twice); the suite closes them after
 * each test.
 */
export function describeCoordinationContract(
  name: string,
  open: () => Promise<[FetchCoordination, FetchCoordination]>,
): void {
  describe(`${name} fetch coordination`, () => {
    let a!: FetchCoordination;
    let b!: FetchCoordination;
    beforeEach(async () => {
      [a, b] = await open();
    });
    afterEach(async () => {
      await a.close();
      if (b !== a) await b.close();
    });

    it('lets one instance at a time fetch a contact, until it releases the claim', async () => {
      expect(await a.claim('p/u1', 5000)).toBe(true);
      expect(await b.claim('p/u1', 5000)).toBe(false);
      expect(await a.claim('p/u1', 5000)).toBe(false);
      expect(await b.claim('p/u2', 5000)).toBe(true);
      await a.release('p/u1');
      expect(await b.claim('p/u1', 5000)).toBe(true);
    });

    it('frees a claim nobody released once its time is up', async () => {
      expect(await a.claim('p/u1', 20)).toBe(true);
      expect(await b.claim('p/u1', 5000)).toBe(false);
      await expect.poll(() => b.claim('p/u1', 5000), { interval: 10 }).toBe(true);
    });

    it("counts a project's failures in a row across instances until a success", async () => {
      expect(await a.failure('p')).toBe(1);
      expect(await b.failure('p')).toBe(2);
      expect(await b.failure('other')).toBe(1);
      await b.success('p');
      expect(await a.failure('p')).toBe(1);
    });

    it('starts the failure count over when the breaker opens, not on a Retry-After pause', async () => {
      const until = Date.now() + 30_000;
      await a.failure('p');
      await a.failure('p');
      await b.pause('p', 'retry_after', until);
      expect(await a.failure('p')).toBe(3);
      await b.pause('p', 'breaker', until);
      expect(await a.failure('p')).toBe(1);
    });

    it('reports the pause that lasts longest to every instance, and none once it is over', async () => {
      const now = Date.now();
      expect(await b.paused('p', now)).toBeNull();
      await a.pause('p', 'breaker', now + 30_000);
      expect(await b.paused('p', now)).toEqual({ kind: 'breaker', until: now + 30_000 });
      await a.pause('p', 'retry_after', now + 60_000);
      expect(await b.paused('p', now)).toEqual({ kind: 'retry_after', until: now + 60_000 });
      expect(await b.paused('p', now + 45_000)).toEqual({
        kind: 'retry_after',
        until: now + 60_000,
      });
      expect(await b.paused('p', now + 60_001)).toBeNull();
      expect(await b.paused('other', now)).toBeNull();
    });
  });
}
