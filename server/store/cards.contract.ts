import { describe, expect, it } from 'vitest';
import type { CardRecord } from './cards-port.js';
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
  });
}
