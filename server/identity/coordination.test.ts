import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { redisUrlForTests } from '../../test/support/services.js';
import { LocalCoordination, type FetchCoordination } from './coordination.js';
import { RedisCoordination } from './redis-coordination.js';

const url = await redisUrlForTests();

describe('local fetch coordination', () => {
  test('one claim at a time until released or expired', async () => {
    let now = 1000;
    const c = new LocalCoordination(() => now);
    expect(await c.claim('p/u1', 500)).toBe(true);
    expect(await c.claim('p/u1', 500)).toBe(false);
    now += 501;
    expect(await c.claim('p/u1', 500)).toBe(true);
    await c.release('p/u1');
    expect(await c.claim('p/u1', 500)).toBe(true);
  });

  test('a breaker pause resets the failure count and reports the latest pause', async () => {
    const c = new LocalCoordination(() => 0);
    expect(await c.failure('p')).toBe(1);
    expect(await c.failure('p')).toBe(2);
    await c.pause('p', 'breaker', 30_000);
    await c.pause('p', 'retry_after', 60_000);
    expect(await c.failure('p')).toBe(1);
    expect(await c.paused('p', 10)).toEqual({ kind: 'retry_after', until: 60_000 });
    expect(await c.paused('p', 60_001)).toBeNull();
  });
});

describe.runIf(url)('fetch coordination over Redis', () => {
  const open: FetchCoordination[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });

  async function pair(): Promise<[RedisCoordination, RedisCoordination]> {
    const prefix = `palaver-test-${randomBytes(4).toString('hex')}:`;
    const a = new RedisCoordination(url!, prefix);
    const b = new RedisCoordination(url!, prefix);
    open.push(a, b);
    // Both connected, so that neither falls back to its own memory.
    await expect.poll(() => a.shared() && b.shared()).toBe(true);
    return [a, b];
  }

  test('instances share claims, failure counts and pauses', async () => {
    const [a, b] = await pair();
    expect(await a.claim('demo/u1', 5000)).toBe(true);
    expect(await b.claim('demo/u1', 5000)).toBe(false);
    await a.release('demo/u1');
    expect(await b.claim('demo/u1', 5000)).toBe(true);

    expect(await a.failure('demo')).toBe(1);
    expect(await b.failure('demo')).toBe(2);
    await b.success('demo');
    expect(await a.failure('demo')).toBe(1);

    const until = Date.now() + 30_000;
    await a.pause('demo', 'breaker', until);
    expect(await b.paused('demo', Date.now())).toEqual({ kind: 'breaker', until });
  });

  test('without Redis each instance keeps going on its own', async () => {
    const c = new RedisCoordination('redis://127.0.0.1:1', 'nowhere:');
    open.push(c);
    expect(await c.claim('demo/u1', 5000)).toBe(true);
    expect(await c.claim('demo/u1', 5000)).toBe(false);
    expect(await c.failure('demo')).toBe(1);
  });
});
