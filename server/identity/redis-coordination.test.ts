import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { redisUrlForTests } from '../../test/support/services.js';
import { describeCoordinationContract } from './coordination.contract.js';
import { RedisCoordination } from './redis-coordination.js';

const url = await redisUrlForTests();

if (url) {
  describeCoordinationContract('Redis', async () => {
    // Instances of one deployment: a key prefix no other test uses.
    const prefix = `palaver-test-${randomBytes(4).toString('hex')}:`;
    const a = new RedisCoordination(url, prefix);
    const b = new RedisCoordination(url, prefix);
    // Both connected, so that neither falls back to its own memory.
    await expect.poll(() => a.shared() && b.shared()).toBe(true);
    return [a, b];
  });
}

// Redis unreachable: each instance keeps the state on its own, so one instance still coordinates.
describeCoordinationContract('Redis unreachable, one instance', () => {
  const c = new RedisCoordination('redis://127.0.0.1:1', 'nowhere:');
  return Promise.resolve([c, c]);
});

describe('fetch coordination without Redis', () => {
  const open: RedisCoordination[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });

  test('keeps going on its own memory, never sharing what it cannot reach', async () => {
    const c = new RedisCoordination('redis://127.0.0.1:1', 'nowhere:');
    open.push(c);
    expect(c.shared()).toBe(false);
    expect(await c.claim('demo/u1', 5000)).toBe(true);
    expect(await c.claim('demo/u1', 5000)).toBe(false);
    expect(await c.failure('demo')).toBe(1);
  });
});
