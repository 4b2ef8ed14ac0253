import { beforeEach, describe, expect, it } from 'vitest';
import { contactRecord, type StoreFixture } from './contract-fixture.js';
import type { ContactQuery } from './port.js';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const source = (s: 'push' | 'pull' | 'token') => ({ source: s, at: at(0), detail: null });

export function describeContactListContract(f: StoreFixture): void {
  const ids = async (query: Partial<ContactQuery>) =>
    (await f.store.contacts.list('p1', { limit: 50, ...query })).map((c) => c.externalUserId);

  describe('contact list', () => {
    beforeEach(async () => {
      const seeds = [
        contactRecord(
          'jane',
          at(1),
          {
            name: 'Jane Doe',
            email: 'jane@example.com',
            phone: '+14155550123',
            metadata: { plan: 'gold' },
          },
          {
            identity: 'verified',
            provenance: { fields: { name: source('push') }, properties: {} },
          },
        ),
        contactRecord(
          'zoe',
          at(2),
          { name: 'Zoë Ångström', metadata: { city: 'Zürich', tags: ['vip', '東京'] } },
          {
            identity: 'claimed',
            provenance: { fields: {}, properties: { city: source('token') } },
          },
        ),
        contactRecord(
          'crm-42',
          at(3),
          { name: 'Bob', email: 'bob@corp.test', metadata: { plan: 'silver', note: '50% off' } },
          { provenance: { fields: { email: source('pull') }, properties: {} } },
        ),
        contactRecord('a_b', at(4)),
        contactRecord('ab', at(4)),
      ];
      const byId = new Map(seeds.map((s) => [s.externalUserId, s]));
      await f.store.contacts.change('p1', [...byId.keys()], (_, id) => byId.get(id)!);
    });

    it('lists newest change first, ties by id, a page at a time', async () => {
      expect(await ids({})).toEqual(['ab', 'a_b', 'crm-42', 'zoe', 'jane']);
      const pages: string[][] = [];
      let after: ContactQuery['after'];
      for (;;) {
        const page = await f.store.contacts.list('p1', { limit: 2, ...(after ? { after } : {}) });
        if (page.length === 0) break;
        pages.push(page.map((c) => c.externalUserId));
        const last = page.at(-1)!;
        after = { updatedAt: last.updatedAt, externalUserId: last.externalUserId };
      }
      expect(pages).toEqual([['ab', 'a_b'], ['crm-42', 'zoe'], ['jane']]);
      expect(await f.store.contacts.list('p2', { limit: 10 })).toEqual([]);
    });

    it('filters by update time, identity and source', async () => {
      expect(await ids({ updatedSince: at(3) })).toEqual(['ab', 'a_b', 'crm-42']);
      expect(await ids({ identity: 'verified' })).toEqual(['jane']);
      expect(await ids({ identity: 'claimed' })).toEqual(['zoe']);
      expect(await ids({ identity: 'unseen' })).toEqual(['ab', 'a_b', 'crm-42']);
      expect(await ids({ source: 'push' })).toEqual(['jane']);
      expect(await ids({ source: 'pull' })).toEqual(['crm-42']);
      expect(await ids({ source: 'token' })).toEqual(['zoe']);
      expect(await ids({ identity: 'unseen', source: 'pull', text: 'bob' })).toEqual(['crm-42']);
      expect(await ids({ identity: 'verified', source: 'pull' })).toEqual([]);
    });

    it.each([
      ['jan', ['jane']],
      ['JANE doe', ['jane']],
      ['example.com', ['jane']],
      ['jane@example', ['jane']],
      ['+1415', ['jane']],
      ['gold', ['jane']],
      ['jane silver', []],
      ['zurich', ['zoe']],
      ['ZÜRICH', ['zoe']],
      ['ångström', ['zoe']],
      ['angst', ['zoe']],
      ['東京', ['zoe']],
      ['vip', ['zoe']],
      ['crm-42', ['crm-42']],
      ['corp.test', ['crm-42']],
      ['50%', ['crm-42']],
      ['%', ['crm-42']],
      ['_', ['a_b']],
      ['a_b', ['a_b']],
      ['ab', ['ab']],
      // A word matches from the start of a word of the contact's values, not from its middle.
      ['ane', []],
      ['5550123', []],
      ['', ['ab', 'a_b', 'crm-42', 'zoe', 'jane']],
      ['   ', ['ab', 'a_b', 'crm-42', 'zoe', 'jane']],
    ])('finds %j in names, emails, phones, ids and property values', async (text, expected) => {
      expect(await ids({ text })).toEqual(expected);
    });

    it('stores and finds contacts whose values are long, unusual or broken text', async () => {
      const odd = contactRecord('odd', at(5), {
        name: `Long ${'x'.repeat(5000)}`,
        metadata: {
          emoji: '😀'.repeat(300),
          broken: 'a\ud800b',
          tab: 'tab\there',
          cjk: '中'.repeat(999),
        },
      });
      await f.store.contacts.change('p1', ['odd'], () => odd);
      expect(await f.store.contacts.get('p1', 'odd')).toEqual(odd);
      expect(await ids({ text: 'xxxxxxxx' })).toEqual(['odd']);
      expect(await ids({ text: 'long here' })).toEqual(['odd']);
    });

    it('searches past the newest contacts, through the index and row by row, a page at a time', async () => {
      const count = 1200;
      for (let from = 0; from < count; from += 100) {
        const batch = Array.from(
          { length: 100 },
          (_, i) => `bulk-${String(from + i).padStart(4, '0')}`,
        );
        await f.store.contacts.change('p1', batch, (_, id) => {
          const n = Number(id.slice(5));
          return contactRecord(id, new Date(Date.parse(at(10)) + n * 1000).toISOString(), {
            name: `Person ${n}`,
            metadata: { plan: n < 5 ? 'platinum' : 'basic', code: n % 600 === 0 ? 'x%y' : 'none' },
          });
        });
      }
      const pages = async (text: string, limit: number) => {
        const all: string[] = [];
        let after: ContactQuery['after'];
        for (;;) {
          const page = await f.store.contacts.list('p1', {
            limit,
            text,
            ...(after ? { after } : {}),
          });
          if (page.length === 0) return all;
          all.push(...page.map((c) => c.externalUserId));
          const last = page.at(-1)!;
          after = { updatedAt: last.updatedAt, externalUserId: last.externalUserId };
        }
      };
      const bulk = (...n: number[]) => n.map((i) => `bulk-${String(i).padStart(4, '0')}`);
      expect(await pages('platinum', 2)).toEqual(bulk(4, 3, 2, 1, 0));
      expect(await pages('person platinum', 3)).toEqual(bulk(4, 3, 2, 1, 0));
      expect(await pages('%', 1)).toEqual([...bulk(600, 0), 'crm-42']);
      expect(await pages('%', 5)).toEqual([...bulk(600, 0), 'crm-42']);
      expect(await ids({ text: 'person 119', limit: 20 })).toEqual(
        bulk(1199, 1198, 1197, 1196, 1195, 1194, 1193, 1192, 1191, 1190, 119),
      );
      expect(await ids({ text: 'basic', limit: 2 })).toEqual(bulk(1199, 1198));
    });
  });
}
