import { describe, expect, it } from 'vitest';
import type { StoreFixture } from './contract-fixture.js';

export function describeVisitorsContract(f: StoreFixture): void {
  describe('visitors', () => {
    it('finds a visitor by its first token and by every token added later', async () => {
      const v = await f.visitor({}, 'first-token');
      await f.store.visitors.addToken(v.id, 'second-token', f.now);
      expect(await f.store.visitors.byTokenHash('first-token')).toEqual(v);
      expect(await f.store.visitors.byTokenHash('second-token')).toEqual(v);
      expect(await f.store.visitors.byTokenHash('unknown-token')).toBeNull();
    });

    it('updates only the fields a patch sets', async () => {
      const v = await f.visitor({ locale: 'en' });
      await f.store.visitors.update(v.id, {
        pageUrl: 'https://a.test/pricing',
        identity: 'claimed',
      });
      expect(await f.store.visitors.get(v.id)).toEqual({
        ...v,
        pageUrl: 'https://a.test/pricing',
        identity: 'claimed',
      });
    });

    it("finds a user's first verified visitor and every visitor with their conversations", async () => {
      const claimed = await f.visitor({ externalUserId: 'u1', identity: 'claimed' });
      const later = await f.visitor({
        externalUserId: 'u1',
        identity: 'verified',
        firstSeenAt: '2026-01-01T00:00:02.000Z',
      });
      const first = await f.visitor({
        externalUserId: 'u1',
        identity: 'verified',
        firstSeenAt: '2026-01-01T00:00:01.000Z',
      });
      await f.visitor({ externalUserId: 'u2', identity: 'verified' });
      const conversation = await f.openWithMessage(later);
      expect(await f.store.visitors.firstVerified('p1', 'u1')).toBe(first.id);
      expect(await f.store.visitors.firstVerified('p1', 'nobody')).toBeNull();
      const ofContact = await f.store.visitors.ofContact('p1', 'u1');
      expect(ofContact).toHaveLength(3);
      expect(ofContact).toEqual(
        expect.arrayContaining([
          { visitorId: claimed.id, identity: claimed.identity, conversationIds: [] },
          { visitorId: later.id, identity: later.identity, conversationIds: [conversation] },
          { visitorId: first.id, identity: first.identity, conversationIds: [] },
        ]),
      );
      const many = await f.store.visitors.ofContacts('p1', ['u1', 'nobody']);
      expect([...many.keys()]).toEqual(['u1']);
      expect(many.get('u1')).toHaveLength(3);
    });
  });
}
