import { describe, expect, it } from 'vitest';
import type { CardCallRecord, CardRecord } from './cards-port.js';
import type { StoreFixture } from './contract-fixture.js';
import { DuplicateError } from './duplicate.js';

export function describeCardsContract(f: StoreFixture): void {
  describe('cards', () => {
    const card = (overrides: Partial<CardRecord> = {}): CardRecord => ({
      id: 'card_1',
      projectId: 'p1',
      name: 'Orders',
      url: 'https://shop.example.com/palaver/cards/orders',
      headersSealed: 'v1.sealed',
      enabled: true,
      cacheSeconds: 60,
      position: 0,
      createdAt: f.now,
      updatedAt: f.now,
      ...overrides,
    });

    it('keeps a project’s cards in their order, each with what it was saved with', async () => {
      await f.store.cards.create(card({ id: 'card_2', name: 'Billing', position: 1 }));
      await f.store.cards.create(card());
      await f.store.cards.create(
        card({ id: 'card_3', name: 'Trials', position: 1, headersSealed: null, enabled: false }),
      );
      const listed = await f.store.cards.list('p1');
      expect(listed.map((c) => c.name)).toEqual(['Orders', 'Billing', 'Trials']);
      expect(listed[0]).toEqual(card());
      expect(listed[2]).toMatchObject({ headersSealed: null, enabled: false });
      expect(await f.store.cards.get('p1', 'card_3')).toEqual(listed[2]);
      expect(await f.store.cards.get('p2', 'card_1')).toBeNull();
    });

    it('refuses a second card of the same name in a project, on create and on save', async () => {
      await f.store.cards.create(card());
      await f.store.cards.create(card({ id: 'card_2', name: 'Billing' }));
      await expect(f.store.cards.create(card({ id: 'card_3' }))).rejects.toBeInstanceOf(
        DuplicateError,
      );
      await expect(
        f.store.cards.save(card({ id: 'card_2', name: 'Orders' })),
      ).rejects.toBeInstanceOf(DuplicateError);
      expect((await f.store.cards.list('p1')).map((c) => c.name)).toEqual(['Orders', 'Billing']);
    });

    it('saves and deletes only the project’s own card', async () => {
      await f.store.cards.create(card());
      const later = '2026-01-02T00:00:00.000Z';
      expect(await f.store.cards.save(card({ url: 'https://x.example/c', updatedAt: later }))).toBe(
        true,
      );
      expect(await f.store.cards.get('p1', 'card_1')).toMatchObject({
        url: 'https://x.example/c',
        createdAt: f.now,
        updatedAt: later,
      });
      expect(await f.store.cards.save(card({ projectId: 'p2' }))).toBe(false);
      expect(await f.store.cards.delete('p2', 'card_1')).toBe(false);
      expect(await f.store.cards.delete('p1', 'card_1')).toBe(true);
      expect(await f.store.cards.list('p1')).toEqual([]);
    });

    const call = (id: string, at: string, overrides: Partial<CardCallRecord> = {}) => ({
      id,
      projectId: 'p1',
      at,
      cardId: 'card_1',
      cardName: 'Orders',
      agent: { id: 'agent_1', name: 'Ada' },
      externalUserId: 'u-1',
      kind: 'action' as const,
      action: 'refund',
      outcome: 'ok' as const,
      httpStatus: 200,
      latencyMs: 12.5,
      errorClass: null,
      message: 'HTTP 200 in 12.5 ms',
      inputs: { reason: 'late', notify: true },
      droppedPii: [{ path: 'card', reason: 'card_number' }],
      ...overrides,
    });

    it('keeps the card log newest first, by card, paged after a cursor', async () => {
      await f.store.cards.appendCall(call('clog_1', '2026-01-01T00:00:01.000Z'));
      await f.store.cards.appendCall(
        call('clog_2', '2026-01-01T00:00:02.000Z', { cardId: 'card_2', agent: null }),
      );
      await f.store.cards.appendCall(call('clog_3', '2026-01-01T00:00:02.000Z'));
      const all = await f.store.cards.listCalls('p1', { limit: 10 });
      expect(all.map((e) => e.id)).toEqual(['clog_3', 'clog_2', 'clog_1']);
      const {
        projectId: _p,
        externalUserId: _u,
        ...entry
      } = call('clog_1', '2026-01-01T00:00:01.000Z');
      expect(all[2]).toEqual(entry);
      expect(all[1]?.agent).toBeNull();
      const byCard = await f.store.cards.listCalls('p1', { cardId: 'card_1', limit: 10 });
      expect(byCard.map((e) => e.id)).toEqual(['clog_3', 'clog_1']);
      const after = await f.store.cards.listCalls('p1', {
        limit: 10,
        after: { at: '2026-01-01T00:00:02.000Z', id: 'clog_3' },
      });
      expect(after.map((e) => e.id)).toEqual(['clog_2', 'clog_1']);
      expect(await f.store.cards.listCalls('p2', { limit: 10 })).toEqual([]);
    });

    it('claims an idempotency key once, and answers its outcome to every repeat', async () => {
      const use = { fingerprint: 'card_1:refund:conv_1', externalUserId: 'u-1', at: f.now };
      expect(await f.store.cards.claimAction('p1', 'key-1', use)).toEqual({ claimed: true });
      expect(await f.store.cards.claimAction('p1', 'key-1', use)).toEqual({
        claimed: false,
        fingerprint: use.fingerprint,
        outcome: null,
      });
      const outcome = {
        status: 'ok' as const,
        result: { status: 'success' as const, message: 'Done' },
      };
      await f.store.cards.settleAction('p1', 'key-1', outcome);
      await f.store.cards.releaseAction('p1', 'key-1');
      expect(await f.store.cards.claimAction('p1', 'key-1', use)).toEqual({
        claimed: false,
        fingerprint: use.fingerprint,
        outcome,
      });
      // A use given up before it settled can be claimed again.
      expect(await f.store.cards.claimAction('p1', 'key-2', use)).toEqual({ claimed: true });
      await f.store.cards.releaseAction('p1', 'key-2');
      expect(await f.store.cards.claimAction('p1', 'key-2', use)).toEqual({ claimed: true });
    });
  });
}
