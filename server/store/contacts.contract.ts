import { describe, expect, it } from 'vitest';
import type { Profile } from '../../protocol/index.js';
import { describeContactListContract } from './contacts-list.contract.js';
import { contactRecord, logEntry, type StoreFixture } from './contract-fixture.js';
import type { AuditEntry, ContactRecord } from './port.js';

function audit(action: AuditEntry['action'], subject: string, at: string): AuditEntry {
  return {
    id: `audit_${action}_${subject}`,
    projectId: 'p1',
    at,
    actor: 'API key “CRM sync” (pk_live_3fA9)',
    action,
    subject,
    details: { conversations: 1, messages: false },
  };
}

const counter = (r: ContactRecord | null) => Number(r?.profile?.metadata.count ?? 0);

export function describeContactsContract(f: StoreFixture): void {
  const later = '2026-01-02T00:00:00.000Z';
  const put = (id: string, profile: Partial<Profile> | null, extra: Partial<ContactRecord> = {}) =>
    f.store.contacts.change('p1', [id], () => contactRecord(id, f.now, profile, extra));

  describe('contacts', () => {
    it('creates contacts on change, updates them, and answers what it stored', async () => {
      const created = await f.store.contacts.change('p1', ['u1', 'u2'], (current, id) =>
        contactRecord(
          id,
          f.now,
          { name: `Name ${id}`, metadata: { plan: 'gold' } },
          {
            provenance: {
              fields: { name: { source: 'push', at: f.now, detail: 'CRM' } },
              properties: {},
            },
          },
        ),
      );
      expect([...created.keys()].sort()).toEqual(['u1', 'u2']);
      expect(await f.store.contacts.get('p1', 'u1')).toEqual(created.get('u1'));
      expect(created.get('u2')?.profile?.name).toBe('Name u2');

      const updated = await f.store.contacts.change('p1', ['u1'], (current) => ({
        ...current!,
        profile: { ...current!.profile!, email: 'u1@example.com' },
        updatedAt: later,
      }));
      const stored = await f.store.contacts.get('p1', 'u1');
      expect(stored).toEqual(updated.get('u1'));
      expect(stored).toMatchObject({ createdAt: f.now, updatedAt: later });
      expect(stored?.profile).toMatchObject({ name: 'Name u1', email: 'u1@example.com' });
      expect(stored?.provenance.fields.name).toEqual({ source: 'push', at: f.now, detail: 'CRM' });
      expect(await f.store.contacts.get('p2', 'u1')).toBeNull();
    });

    it('loses no write when changes of the same contacts race, on new and stored contacts', async () => {
      await f.connectionsForEveryCaller();
      const increment = (current: ContactRecord | null, id: string) =>
        contactRecord(id, f.now, { metadata: { count: counter(current) + 1 } });
      await Promise.all(
        Array.from({ length: 20 }, () => f.store.contacts.change('p1', ['n1'], increment)),
      );
      expect(counter(await f.store.contacts.get('p1', 'n1'))).toBe(20);

      // Overlapping batches listing the ids in different orders: none waits on another forever.
      const ids = ['a', 'b', 'c', 'n1'];
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          f.store.contacts.change('p1', i % 2 ? ids : [...ids].reverse(), increment),
        ),
      );
      for (const id of ids) {
        expect(counter(await f.store.contacts.get('p1', id))).toBe(id === 'n1' ? 30 : 10);
      }
    });

    it('leaves a contact as it is when the change answers null', async () => {
      await put('u1', { name: 'Jane' });
      const before = await f.store.contacts.get('p1', 'u1');
      const answered = await f.store.contacts.change('p1', ['u1', 'absent'], () => null);
      expect(answered.get('u1')).toEqual(before);
      expect(answered.has('absent')).toBe(false);
      expect(await f.store.contacts.get('p1', 'u1')).toEqual(before);
      expect(await f.store.contacts.get('p1', 'absent')).toBeNull();
    });

    it('creates a contact only while a visitor carries its id when told to, and updates one regardless', async () => {
      await f.visitor({ externalUserId: 'chatting', identity: 'claimed' });
      await f.visitor({ externalUserId: 'erased', identity: 'claimed', erasedAt: f.now });
      await put('pushed', { name: 'Jane' });
      const ids = ['chatting', 'erased', 'nobody', 'pushed'];
      const seen: string[] = [];
      const answered = await f.store.contacts.change(
        'p1',
        ids,
        (current, id) => {
          seen.push(id);
          return contactRecord(id, later, { name: `${current?.profile?.name ?? 'New'} ${id}` });
        },
        { onlyWhileCarried: true },
      );
      expect(seen.sort()).toEqual(['chatting', 'pushed']);
      expect([...answered.keys()].sort()).toEqual(['chatting', 'pushed']);
      expect((await f.store.contacts.get('p1', 'pushed'))?.profile?.name).toBe('Jane pushed');
      expect(await f.store.contacts.get('p1', 'chatting')).toEqual(answered.get('chatting'));
      expect(await f.store.contacts.get('p1', 'erased')).toBeNull();
      expect(await f.store.contacts.get('p1', 'nobody')).toBeNull();
    });

    describe('erase', () => {
      async function person() {
        await put('u1', { name: 'Jane', email: 'jane@example.com' });
        const v = await f.visitor(
          { externalUserId: 'u1', identity: 'verified', pageUrl: 'https://a.test/p', locale: 'de' },
          'tok_first',
        );
        await f.store.visitors.addToken(v.id, 'tok_second', f.now);
        const conversationId = await f.openWithMessage(v);
        await f.store.identity.appendLog(logEntry());
        return { v, conversationId };
      }

      it('deletes the contact and its log, strips its visitors and ends their sessions', async () => {
        const { v, conversationId } = await person();
        const erased = await f.store.contacts.erase('p1', 'u1', {
          messages: false,
          audit: audit('contact.erased', 'u1', later),
        });
        expect(erased).toEqual({ conversationIds: [conversationId] });
        expect(await f.store.contacts.get('p1', 'u1')).toBeNull();
        expect(await f.store.contacts.list('p1', { limit: 10, text: 'jane' })).toEqual([]);
        expect(await f.store.identity.listLog('p1', {})).toEqual([]);
        expect(await f.store.visitors.get(v.id)).toMatchObject({
          externalUserId: null,
          identity: 'anonymous',
          pageUrl: null,
          locale: null,
          erasedAt: later,
        });
        expect(await f.store.visitors.byTokenHash('tok_first')).toBeNull();
        expect(await f.store.visitors.byTokenHash('tok_second')).toBeNull();
        const page = await f.store.conversations.messagesBefore(conversationId, undefined, 10);
        expect(page.items.map((m) => m.body)).toEqual(['hello']);
      });

      it('deletes the messages of their conversations when asked to, and keeps the conversations', async () => {
        const { conversationId } = await person();
        await f.store.contacts.erase('p1', 'u1', {
          messages: true,
          audit: audit('contact.erased', 'u1', later),
        });
        const page = await f.store.conversations.messagesBefore(conversationId, undefined, 10);
        expect(page.items).toEqual([]);
        const conversation = await f.store.conversations.get(conversationId);
        expect(conversation).toMatchObject({ lastSeq: 1, lastMessage: null });
      });

      it('leaves no contact when it races a change that creates only while a visitor carries the id', async () => {
        await f.connectionsForEveryCaller();
        const options = { messages: false, audit: audit('contact.erased', 'u1', later) };
        for (let round = 0; round < 10; round++) {
          await f.visitor({ externalUserId: 'u1', identity: 'verified' });
          // Whichever goes first, the erase has the last word: the change either runs before it
          // (and its contact is erased) or after it (and finds no visitor carrying the id).
          await Promise.all([
            f.store.contacts.erase('p1', 'u1', {
              ...options,
              audit: { ...options.audit, id: `a${round}` },
            }),
            f.store.contacts.change(
              'p1',
              ['u1'],
              (_, id) => contactRecord(id, later, { name: 'Back' }),
              {
                onlyWhileCarried: true,
              },
            ),
          ]);
          expect(await f.store.contacts.get('p1', 'u1')).toBeNull();
        }
      });

      it('erases visitors whose id has no contact, and answers null for an unknown id', async () => {
        const v = await f.visitor({ externalUserId: 'only-chat', identity: 'claimed' });
        const options = { messages: false, audit: audit('contact.erased', 'x', later) };
        expect(await f.store.contacts.erase('p1', 'only-chat', options)).toEqual({
          conversationIds: [],
        });
        expect((await f.store.visitors.get(v.id))?.erasedAt).toBe(later);
        expect(await f.store.contacts.erase('p1', 'nobody', options)).toBeNull();
      });
    });

    describe('merge', () => {
      const combine = (p: ContactRecord, s: ContactRecord): ContactRecord => ({
        ...p,
        profile: {
          ...p.profile!,
          metadata: { ...s.profile!.metadata, ...p.profile!.metadata },
        },
        updatedAt: later,
      });

      it('stores the combination as the primary, moves the secondary’s visitors and deletes it', async () => {
        await put('primary', { name: 'Jane', metadata: { plan: 'gold' } });
        await put('secondary', { name: 'J.', metadata: { plan: 'free', city: 'Oslo' } });
        const v = await f.visitor({ externalUserId: 'secondary', identity: 'verified' });
        const conversationId = await f.openWithMessage(v);
        const entry = audit('contact.merged', 'primary', later);

        const merged = await f.store.contacts.merge('p1', 'primary', 'secondary', combine, entry);
        expect(merged?.conversationIds).toEqual([conversationId]);
        expect(merged?.contact.profile?.metadata).toEqual({ plan: 'gold', city: 'Oslo' });
        expect(await f.store.contacts.get('p1', 'primary')).toEqual(merged?.contact);
        expect(await f.store.contacts.get('p1', 'secondary')).toBeNull();
        expect((await f.store.visitors.get(v.id))?.externalUserId).toBe('primary');
        expect(await f.store.contacts.lastMergeOf('p1', 'secondary')).toEqual(entry);
        expect(await f.store.contacts.lastMergeOf('p1', 'primary')).toBeNull();
      });

      it('answers null and changes nothing when either contact is missing', async () => {
        await put('primary', { name: 'Jane' });
        const before = await f.store.contacts.get('p1', 'primary');
        const entry = audit('contact.merged', 'primary', later);
        expect(await f.store.contacts.merge('p1', 'primary', 'gone', combine, entry)).toBeNull();
        expect(await f.store.contacts.merge('p1', 'gone', 'primary', combine, entry)).toBeNull();
        expect(await f.store.contacts.get('p1', 'primary')).toEqual(before);
        expect(await f.store.contacts.lastMergeOf('p1', 'gone')).toBeNull();
      });
    });

    describeContactListContract(f);
  });
}
