import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bus, BusEnvelope } from './bus.js';

/**
 * Two ends of one bus: `publisher` publishes, `subscriber` listens. For a single-process bus both
 * are the same object; for a bus across instances, two instances of one deployment.
 */
export interface BusEnds {
  publisher: Bus;
  subscriber: Bus;
}

/** What every subscriber of a topic sees, probes left out; `stop` unsubscribes it. */
interface Recorder {
  readonly events: BusEnvelope[];
  stop(): void;
  /** Resolves once an event with this data has arrived. */
  received(data: string): Promise<void>;
}

function record(bus: Bus, topic: string): Recorder {
  const events: BusEnvelope[] = [];
  const waiting = new Map<string, () => void>();
  const stop = bus.subscribe(topic, (envelope) => {
    if (envelope.data.startsWith('probe-')) return;
    events.push(envelope);
    waiting.get(envelope.data)?.();
  });
  return {
    events,
    stop,
    received: (data) =>
      events.some((e) => e.data === data)
        ? Promise.resolve()
        : new Promise((resolve) => waiting.set(data, resolve)),
  };
}

/**
 * The behaviour every Bus adapter must have. `open` gives the two ends of a fresh bus; the suite
 * closes them after each test.
 */
export function describeBusContract(name: string, open: () => BusEnds): void {
  describe(`${name} bus`, () => {
    let ends!: BusEnds;
    beforeEach(() => {
      ends = open();
    });
    afterEach(async () => {
      await ends.publisher.close();
      if (ends.subscriber !== ends.publisher) await ends.subscriber.close();
    });

    /**
     * Subscribes a recorder on the subscriber's end, and returns once the publisher's events reach
     * it: a bus across instances confirms a new subscription asynchronously.
     */
    async function listen(topic: string) {
      const bus = ends.subscriber;
      let probed = false;
      const stopProbe = bus.subscribe(topic, (e) => {
        if (e.data.startsWith('probe-')) probed = true;
      });
      const recorder = record(bus, topic);
      const probe = `probe-${randomBytes(4).toString('hex')}`;
      while (!probed) {
        await ends.publisher.publish(topic, { data: probe });
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      stopProbe();
      return recorder;
    }

    const publish = (topic: string, data: string, originSocketId?: string) =>
      ends.publisher.publish(topic, originSocketId ? { data, originSocketId } : { data });

    it('delivers an event to a subscriber of its topic, with the socket it came from', async () => {
      const seen = await listen('project:p1');
      await publish('project:p1', '{"type":"message"}', 'sock-1');
      await publish('project:p1', 'no origin');
      await seen.received('no origin');
      expect(seen.events).toStrictEqual([
        { data: '{"type":"message"}', originSocketId: 'sock-1' },
        { data: 'no origin' },
      ]);
    });

    it('keeps the order events of a topic were published in', async () => {
      const seen = await listen('visitor:v1');
      const sent = Array.from({ length: 50 }, (_, i) => `event-${i}`);
      await Promise.all(sent.map((data) => publish('visitor:v1', data)));
      await seen.received('event-49');
      expect(seen.events.map((e) => e.data)).toEqual(sent);
    });

    it('delivers only the events of the topics a handler subscribed to', async () => {
      const p1 = await listen('project:p1');
      const p2 = await listen('project:p2');
      await publish('project:p2', 'for p2');
      await publish('project:p1', 'for p1');
      await Promise.all([p1.received('for p1'), p2.received('for p2')]);
      expect(p1.events.map((e) => e.data)).toEqual(['for p1']);
      expect(p2.events.map((e) => e.data)).toEqual(['for p2']);
    });

    it('delivers each event once to every handler of the topic', async () => {
      const first = await listen('project:p1');
      const second = record(ends.subscriber, 'project:p1');
      await publish('project:p1', 'once');
      await publish('project:p1', 'marker');
      await Promise.all([first.received('marker'), second.received('marker')]);
      expect(first.events.map((e) => e.data)).toEqual(['once', 'marker']);
      expect(second.events.map((e) => e.data)).toEqual(['once', 'marker']);
    });

    it('delivers an event once to a handler on the publishing end too', async () => {
      const remote = await listen('visitor:v1');
      const local = record(ends.publisher, 'visitor:v1');
      await publish('visitor:v1', 'hello');
      await publish('visitor:v1', 'marker');
      await remote.received('marker');
      await local.received('marker');
      expect(local.events.map((e) => e.data)).toEqual(['hello', 'marker']);
    });

    it('stops delivering to a handler once it unsubscribes, and only to that one', async () => {
      const staying = await listen('project:p1');
      const leaving = record(ends.subscriber, 'project:p1');
      await publish('project:p1', 'before');
      await leaving.received('before');
      leaving.stop();
      // Unsubscribing twice is harmless: the other handler keeps its subscription.
      leaving.stop();
      await publish('project:p1', 'after');
      await staying.received('after');
      expect(leaving.events.map((e) => e.data)).toEqual(['before']);
      expect(staying.events.map((e) => e.data)).toEqual(['before', 'after']);
    });

    it('delivers again to a topic subscribed anew after its last handler left', async () => {
      const gone = await listen('visitor:v2');
      gone.stop();
      // A turn later, so that a bus across instances has dropped the topic before it comes back.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const back = await listen('visitor:v2');
      await publish('visitor:v2', 'welcome back');
      await back.received('welcome back');
      expect(back.events.map((e) => e.data)).toEqual(['welcome back']);
      expect(gone.events).toEqual([]);
    });
  });
}
