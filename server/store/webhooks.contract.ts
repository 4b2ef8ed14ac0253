import { describe, expect, it } from 'vitest';
import type { StoreFixture } from './contract-fixture.js';
import type { AttemptOutcome, NewDelivery, WebhookRecord } from './webhooks-port.js';

export function describeWebhooksContract(f: StoreFixture): void {
  describe('webhooks', () => {
    const later = (ms: number) => new Date(Date.parse(f.now) + ms).toISOString();
    const subscription = (overrides: Partial<WebhookRecord> = {}): WebhookRecord => ({
      id: 'wh_1',
      projectId: 'p1',
      url: 'https://shop.example.com/hooks',
      events: ['message.created', 'conversation.closed'],
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      createdAt: f.now,
      updatedAt: f.now,
      lastSuccessAt: null,
      failingSince: null,
      ...overrides,
    });
    let n = 0;
    const delivery = (overrides: Partial<NewDelivery> = {}): NewDelivery => ({
      id: `dlv_${String(++n).padStart(4, '0')}`,
      projectId: 'p1',
      subscriptionId: 'wh_1',
      eventId: `evt_${n}`,
      eventType: 'message.created',
      orderKey: 'conv_1',
      body: `{"n":${n}}`,
      createdAt: f.now,
      giveUpAt: later(86_400_000),
      ...overrides,
    });
    const claim = (now = f.now, limit = 10) =>
      f.store.webhooks.claim({ now, leaseUntil: later(30_000), limit, busy: [] });
    const outcome = (o: Partial<AttemptOutcome> = {}): AttemptOutcome => ({
      at: f.now,
      status: 'delivered',
      nextAttemptAt: null,
      responseStatus: 200,
      latencyMs: 3,
      errorClass: null,
      excerpt: 'ok',
      ...o,
    });

    it('keeps subscriptions per project and lists the enabled ones for new events', async () => {
      await f.store.webhooks.create(subscription());
      await f.store.webhooks.create(subscription({ id: 'wh_2', enabled: false }));
      expect(await f.store.webhooks.list('p1')).toEqual([
        subscription(),
        subscription({ id: 'wh_2', enabled: false }),
      ]);
      expect(await f.store.webhooks.enabledOf('p1')).toEqual([
        { id: 'wh_1', events: ['message.created', 'conversation.closed'] },
      ]);
      expect(await f.store.webhooks.get('p2', 'wh_1')).toBeNull();
      expect(await f.store.webhooks.save(subscription({ url: 'https://x.example/h' }))).toBe(true);
      expect((await f.store.webhooks.get('p1', 'wh_1'))?.url).toBe('https://x.example/h');
      expect(await f.store.webhooks.delete('p1', 'wh_2')).toBe(true);
      expect(await f.store.webhooks.delete('p1', 'wh_2')).toBe(false);
    });

    it('writes a message’s deliveries in its append, and none for a repeated send', async () => {
      await f.store.webhooks.create(subscription());
      const v = await f.visitor();
      const message = {
        ...f.message(''),
        target: f.openFor(v),
        clientMessageId: 'c1',
        outbox: () => [delivery()],
      };
      await f.store.conversations.append(message);
      await f.store.conversations.append(message);
      const claimed = await claim();
      expect(claimed.map((d) => d.eventId)).toEqual([`evt_${n}`]);
      expect(claimed[0]).toMatchObject({ url: 'https://shop.example.com/hooks', attempts: 0 });
    });

    it('hands out one delivery of a conversation at a time, in order, and each once', async () => {
      await f.store.webhooks.create(subscription());
      const [first, second, other] = [delivery(), delivery(), delivery({ orderKey: 'conv_2' })];
      await f.store.webhooks.addDeliveries([first, second, other]);
      expect((await claim()).map((d) => d.id)).toEqual([first.id, other.id]);
      expect(await claim()).toEqual([]);
      const delivered = await f.store.webhooks.delivery('wh_1', first.id);
      await f.store.webhooks.recordAttempts([{ delivery: delivered!, outcome: outcome() }]);
      expect((await claim()).map((d) => d.id)).toEqual([second.id]);
    });

    it('gives a claim back when its lease runs out, or when it is released', async () => {
      await f.store.webhooks.create(subscription());
      const d = delivery();
      await f.store.webhooks.addDeliveries([d]);
      expect(await claim()).toHaveLength(1);
      // The log shows when it is attempted again if this attempt never reports.
      expect(await f.store.webhooks.delivery('wh_1', d.id)).toMatchObject({
        status: 'pending',
        nextAttemptAt: later(30_000),
      });
      expect(await claim(later(29_000))).toEqual([]);
      expect(await claim(later(31_000))).toHaveLength(1);
      await f.store.webhooks.release([d.id]);
      expect(await f.store.webhooks.delivery('wh_1', d.id)).toMatchObject({ nextAttemptAt: f.now });
      expect(await claim(later(31_000))).toHaveLength(1);
    });

    it('releases nothing that has an outcome already', async () => {
      await f.store.webhooks.create(subscription());
      await f.store.webhooks.addDeliveries([delivery()]);
      const [claimed] = await claim();
      await f.store.webhooks.recordAttempts([{ delivery: claimed!, outcome: outcome() }]);
      await f.store.webhooks.release([claimed!.id]);
      expect(await f.store.webhooks.delivery('wh_1', claimed!.id)).toMatchObject({
        status: 'delivered',
        nextAttemptAt: null,
      });
      expect(await claim(later(60_000))).toEqual([]);
    });

    it('retries at the time given, and after a failure lets the conversation go on', async () => {
      await f.store.webhooks.create(subscription());
      const [first, second] = [delivery(), delivery()];
      await f.store.webhooks.addDeliveries([first, second]);
      const [claimed] = await claim();
      await f.store.webhooks.recordAttempts([
        {
          delivery: claimed!,
          outcome: outcome({
            status: 'retrying',
            nextAttemptAt: later(60_000),
            responseStatus: 500,
          }),
        },
      ]);
      expect(await claim(later(1_000))).toEqual([]);
      const [again] = await claim(later(60_000));
      expect(again).toMatchObject({ id: first.id, attempts: 1, status: 'retrying' });
      await f.store.webhooks.recordAttempts([
        { delivery: again!, outcome: outcome({ status: 'failed' }) },
      ]);
      expect((await claim(later(60_000))).map((d) => d.id)).toEqual([second.id]);
      expect(await f.store.webhooks.delivery('wh_1', first.id)).toMatchObject({
        status: 'failed',
        attempts: 2,
        nextAttemptAt: null,
      });
    });

    it('brings a subscription’s waiting retries forward, not those in flight nor others’', async () => {
      await f.store.webhooks.create(subscription());
      await f.store.webhooks.create(subscription({ id: 'wh_2' }));
      const [waiting, inFlight, other] = [
        delivery({ orderKey: 'conv_1' }),
        delivery({ orderKey: 'conv_2' }),
        delivery({ subscriptionId: 'wh_2' }),
      ];
      await f.store.webhooks.addDeliveries([waiting, inFlight, other]);
      const failed = outcome({ status: 'retrying', nextAttemptAt: later(3_600_000) });
      const claimed = await claim();
      await f.store.webhooks.recordAttempts(
        claimed.filter((d) => d.id !== inFlight.id).map((d) => ({ delivery: d, outcome: failed })),
      );
      expect(await f.store.webhooks.retryNow('wh_1', later(1_000))).toBe(1);
      expect(await f.store.webhooks.delivery('wh_1', waiting.id)).toMatchObject({
        nextAttemptAt: later(1_000),
        status: 'retrying',
      });
      expect(await f.store.webhooks.delivery('wh_2', other.id)).toMatchObject({
        nextAttemptAt: later(3_600_000),
      });
      expect((await claim(later(1_000))).map((d) => d.id)).toEqual([waiting.id]);
    });

    it('claims nothing for a disabled subscription, nor for a busy one', async () => {
      await f.store.webhooks.create(subscription({ enabled: false }));
      await f.store.webhooks.create(subscription({ id: 'wh_2' }));
      await f.store.webhooks.addDeliveries([delivery(), delivery({ subscriptionId: 'wh_2' })]);
      const busy = await f.store.webhooks.claim({
        now: f.now,
        leaseUntil: later(30_000),
        limit: 10,
        busy: ['wh_2'],
      });
      expect(busy).toEqual([]);
      expect((await claim()).map((d) => d.subscriptionId)).toEqual(['wh_2']);
    });

    it('disables a subscription failing since before the limit, once, with an event', async () => {
      await f.store.webhooks.create(subscription());
      const d = delivery();
      await f.store.webhooks.addDeliveries([d]);
      const [claimed] = await claim();
      await f.store.webhooks.recordAttempts([
        {
          delivery: claimed!,
          outcome: outcome({
            status: 'retrying',
            nextAttemptAt: later(1000),
            errorClass: 'timeout',
          }),
        },
      ]);
      const event = {
        id: 'evt_off',
        type: 'webhook.disabled',
        payload: { subscriptionId: 'wh_1' },
      };
      expect(await f.store.webhooks.disableFailing('wh_1', later(-1), later(5), event)).toBe(false);
      expect(await f.store.webhooks.disableFailing('wh_1', f.now, later(5), event)).toBe(true);
      expect(
        await f.store.webhooks.disableFailing('wh_1', f.now, later(6), { ...event, id: 'e2' }),
      ).toBe(false);
      expect(await f.store.webhooks.get('p1', 'wh_1')).toMatchObject({
        enabled: false,
        disabledReason: 'failing',
        disabledAt: later(5),
      });
      const events = await f.store.events.listEvents('p1', { type: 'webhook.disabled', limit: 5 });
      expect(events.map((e) => e.id)).toEqual(['evt_off']);
    });

    it('redelivers an ended delivery with its event id and body, out of the conversation’s order', async () => {
      await f.store.webhooks.create(subscription());
      const [first, second] = [delivery(), delivery()];
      await f.store.webhooks.addDeliveries([first, second]);
      for (const d of [first, second]) {
        const [claimed] = await claim();
        expect(claimed?.id).toBe(d.id);
        await f.store.webhooks.recordAttempts([{ delivery: claimed!, outcome: outcome() }]);
      }
      const again = await f.store.webhooks.redeliver('wh_1', first.id, later(1), later(2));
      expect(again).toMatchObject({
        status: 'pending',
        eventId: first.eventId,
        body: first.body,
      });
      expect(await f.store.webhooks.redeliver('wh_2', first.id, later(1), later(2))).toBeNull();
      expect((await claim(later(1))).map((d) => d.id)).toEqual([first.id]);
    });

    it('prunes ended deliveries older than the limit and those of deleted subscriptions', async () => {
      await f.store.webhooks.create(subscription());
      const [old, pending, orphan] = [
        delivery(),
        delivery({ orderKey: 'conv_2' }),
        delivery({ subscriptionId: 'wh_gone' }),
      ];
      await f.store.webhooks.addDeliveries([old, pending, orphan]);
      const claimed = await claim();
      const ended = claimed.find((d) => d.id === old.id)!;
      await f.store.webhooks.recordAttempts([{ delivery: ended, outcome: outcome() }]);
      expect(await f.store.webhooks.prune(f.now)).toBe(1);
      expect(await f.store.webhooks.prune(later(1))).toBe(1);
      const left = await f.store.webhooks.deliveries('wh_1', { limit: 10 });
      expect(left.map((d) => d.id)).toEqual([pending.id]);
    });

    it('pages the delivery log newest first', async () => {
      await f.store.webhooks.create(subscription());
      const all = [delivery(), delivery(), delivery()];
      await f.store.webhooks.addDeliveries(all);
      const page = await f.store.webhooks.deliveries('wh_1', { limit: 2 });
      expect(page.map((d) => d.id)).toEqual([all[2]!.id, all[1]!.id]);
      const next = await f.store.webhooks.deliveries('wh_1', { limit: 2, before: all[1]!.id });
      expect(next.map((d) => d.id)).toEqual([all[0]!.id]);
    });

    it('hands each delivery to one of several claims made at once', async () => {
      await f.store.webhooks.create(subscription());
      const many = Array.from({ length: 40 }, (_, i) => delivery({ orderKey: `conv_${i}` }));
      await f.store.webhooks.addDeliveries(many);
      await f.connectionsForEveryCaller();
      const claims = await Promise.all([1, 2, 3, 4].map(() => claim(f.now, 15)));
      const ids = claims.flat().map((d) => d.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeGreaterThan(0);
    });
  });
}
