import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { redisUrlForTests } from '../../test/support/services.js';
import { createLogger } from '../logger.js';
import type { BusEnvelope } from './bus.js';
import { RedisBus } from './redis-bus.js';

const url = await redisUrlForTests();

describe.runIf(url)('Redis bus', () => {
  const buses: RedisBus[] = [];
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });

  function pair(): [RedisBus, RedisBus] {
    const prefix = `palaver-test-${randomBytes(4).toString('hex')}:`;
    const a = new RedisBus(url!, createLogger('silent'), prefix);
    const b = new RedisBus(url!, createLogger('silent'), prefix);
    buses.push(a, b);
    return [a, b];
  }

  function next(bus: RedisBus, topic: string): Promise<BusEnvelope> {
    return new Promise((resolve) => {
      const stop = bus.subscribe(topic, (envelope) => {
        // Late copies of the readiness probes below are not the event under test.
        if (envelope.data.startsWith('probe-')) return;
        stop();
        resolve(envelope);
      });
    });
  }

  /** Subscribes `bus`, and returns once `publisher`'s events reach it through Redis. */
  async function subscribed(bus: RedisBus, publisher: RedisBus, topic: string) {
    const seen: BusEnvelope[] = [];
    const stop = bus.subscribe(topic, (e) => seen.push(e));
    // Redis confirms SUBSCRIBE asynchronously: probe until the channel delivers.
    const probe = `probe-${randomBytes(4).toString('hex')}`;
    for (;;) {
      await publisher.publish(topic, { data: probe });
      if (seen.some((e) => e.data === probe)) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return stop;
  }

  test('an event published on one instance reaches subscribers on another, with its origin', async () => {
    const [a, b] = pair();
    const stop = await subscribed(b, a, 'project:p1');
    const arrival = next(b, 'project:p1');
    await a.publish('project:p1', { data: '{"type":"message"}', originSocketId: 'sock-1' });
    expect(await arrival).toEqual({ data: '{"type":"message"}', originSocketId: 'sock-1' });
    stop();
  });

  test('local subscribers get the event once, not again through Redis', async () => {
    const [a, b] = pair();
    const stopB = await subscribed(b, a, 'visitor:v1');
    const seenOnA: string[] = [];
    const stopA = a.subscribe('visitor:v1', (e) => {
      if (!e.data.startsWith('probe-')) seenOnA.push(e.data);
    });
    const arrivalOnB = next(b, 'visitor:v1');
    await a.publish('visitor:v1', { data: 'hello' });
    await arrivalOnB;
    // B received it through Redis, so A's own copy (if any) would have arrived by now too.
    expect(seenOnA).toEqual(['hello']);
    stopA();
    stopB();
  });

  test('reports itself healthy once connected', async () => {
    const [a] = pair();
    await expect.poll(() => a.healthy()).toBe(true);
  });

  test('a herd of sockets subscribing in one turn costs Redis one SUBSCRIBE, not one per topic', async () => {
    const [a] = pair();
    const { Redis } = await import('ioredis');
    const monitor = await new Redis(url!).monitor();
    const commands: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => commands.push(args));
    const topics = Array.from({ length: 300 }, (_, i) => `visitor:herd-${i}`);
    try {
      const stops = topics.map((topic) => a.subscribe(topic, () => undefined));
      // A topic dropped within the same turn is never subscribed at all.
      stops[0]!();

      // Other tests share this Redis: only this test's channels count.
      const ours = () =>
        commands.filter(
          (c) => c[0]?.toLowerCase() === 'subscribe' && c.some((a) => a.includes(':visitor:herd-')),
        );
      await expect.poll(ours).toHaveLength(1);
      const subscribe = ours()[0]!;
      const channels = subscribe.slice(1);
      expect(channels).toHaveLength(topics.length - 1);
      expect(channels.some((channel) => channel.endsWith('visitor:herd-0'))).toBe(false);
    } finally {
      monitor.disconnect();
    }
  });
});
