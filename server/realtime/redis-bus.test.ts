import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { monitorRedis } from '../../test/support/redis-monitor.js';
import { redisUrlForTests } from '../../test/support/services.js';
import { createLogger } from '../logger.js';
import { describeBusContract } from './bus.contract.js';
import { RedisBus } from './redis-bus.js';

const url = await redisUrlForTests();

/** Buses of one deployment: instances sharing a key prefix no other test uses. */
function deployment() {
  const prefix = `palaver-test-${randomBytes(4).toString('hex')}:`;
  return () => new RedisBus(url!, createLogger('silent'), prefix);
}

if (url) {
  describeBusContract('Redis, one instance,', () => {
    const bus = deployment()();
    return { publisher: bus, subscriber: bus };
  });
  describeBusContract('Redis, across instances,', () => {
    const instance = deployment();
    return { publisher: instance(), subscriber: instance() };
  });
}

describe.runIf(url)('Redis bus beyond the contract', () => {
  const buses: RedisBus[] = [];
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });

  function pair(): [RedisBus, RedisBus] {
    const instance = deployment();
    const a = instance();
    const b = instance();
    buses.push(a, b);
    return [a, b];
  }

  test('reports itself healthy once connected', async () => {
    const [a] = pair();
    await expect.poll(() => a.healthy()).toBe(true);
  });

  test('a herd of sockets subscribing in one turn costs Redis one SUBSCRIBE, not one per topic', async () => {
    const [a] = pair();
    const monitor = await monitorRedis(url!);
    const topics = Array.from({ length: 300 }, (_, i) => `visitor:herd-${i}`);
    try {
      const stops = topics.map((topic) => a.subscribe(topic, () => undefined));
      // A topic dropped within the same turn is never subscribed at all.
      stops[0]!();

      // Other tests share this Redis: only this test's channels count.
      const ours = () =>
        monitor.commands.filter(
          (c) => c[0]?.toLowerCase() === 'subscribe' && c.some((a) => a.includes(':visitor:herd-')),
        );
      await expect.poll(ours).toHaveLength(1);
      const subscribe = ours()[0]!;
      const channels = subscribe.slice(1);
      expect(channels).toHaveLength(topics.length - 1);
      expect(channels.some((channel) => channel.endsWith('visitor:herd-0'))).toBe(false);
    } finally {
      monitor.close();
    }
  });
});
