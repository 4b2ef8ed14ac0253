import { describe, expect, it } from 'vitest';
import type { StoreFixture } from './contract-fixture.js';

export function describeConversationsContract(f: StoreFixture): void {
  describe('conversations and messages', () => {
    it('keeps one open conversation per visitor even when first messages race', async () => {
      const v = await f.visitor();
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          f.store.conversations.append({ ...f.message(''), target: f.openFor(v) }),
        ),
      );
      expect(new Set(results.map((r) => r.conversation.id)).size).toBe(1);
      expect(results.filter((r) => r.opened)).toHaveLength(1);
      expect(results.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8,
      ]);
    });

    it('numbers messages 1, 2, 3 per conversation and dedupes repeated client ids', async () => {
      const v = await f.visitor();
      const first = await f.store.conversations.append({
        ...f.message('', { clientMessageId: 'same' }),
        target: f.openFor(v),
      });
      const again = await f.store.conversations.append({
        ...f.message('', { clientMessageId: 'same' }),
        target: f.openFor(v),
      });
      const second = await f.store.conversations.append(f.message(first.conversation.id));
      expect(first).toMatchObject({ created: true, opened: true, conversation: { lastSeq: 1 } });
      expect(again).toMatchObject({ message: first.message, created: false, opened: false });
      expect(again.conversation.id).toBe(first.conversation.id);
      expect([first.message.seq, second.message.seq]).toEqual([1, 2]);
      expect(second.conversation.lastMessage?.seq).toBe(2);
      expect((await f.store.conversations.get(first.conversation.id))?.lastSeq).toBe(2);
    });

    it('answers a repeated client id with the first message even after its conversation closed', async () => {
      const v = await f.visitor();
      const first = await f.store.conversations.append({
        ...f.message('', { clientMessageId: 'retry' }),
        target: f.openFor(v),
      });
      await f.store.conversations.setStatus(first.conversation.id, 'closed', f.now);
      const retried = await f.store.conversations.append({
        ...f.message('', { clientMessageId: 'retry' }),
        target: f.openFor(v),
      });
      expect(retried).toMatchObject({ message: first.message, created: false, opened: false });
      expect(retried.conversation).toMatchObject({ id: first.conversation.id, status: 'closed' });
      expect(await f.store.conversations.openOf(v.id)).toBeNull();
    });

    it('fails an append to a missing conversation alone, not the appends beside it', async () => {
      const v = await f.visitor();
      const id = await f.openWithMessage(v);
      const results = await Promise.allSettled([
        f.store.conversations.append(f.message(id)),
        f.store.conversations.append(f.message('conv_missing')),
        f.store.conversations.append(f.message(id)),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await f.store.conversations.get(id))?.lastSeq).toBe(3);
      expect(await f.store.conversations.get('conv_missing')).toBeNull();
    });

    it('finds a stored message by its sender and client id, and only by both', async () => {
      const v = await f.visitor();
      const id = await f.openWithMessage(v);
      const { message: stored } = await f.store.conversations.append(
        f.message(id, { senderKey: 'v:a', clientMessageId: 'c-1' }),
      );
      expect(await f.store.conversations.messageBySender('v:a', 'c-1')).toEqual(stored);
      expect(await f.store.conversations.messageBySender('v:b', 'c-1')).toBeNull();
      expect(await f.store.conversations.messageBySender('v:a', 'c-2')).toBeNull();
    });

    it('gives concurrent appends distinct consecutive seqs', async () => {
      const v = await f.visitor();
      const id = await f.openWithMessage(v);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => f.store.conversations.append(f.message(id))),
      );
      expect(results.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 2),
      );
    });

    it('pages history backwards and replays forwards in seq order', async () => {
      const v = await f.visitor();
      const id = await f.openWithMessage(v, undefined, { body: 'm1' });
      for (let i = 2; i <= 7; i++) {
        await f.store.conversations.append(f.message(id, { body: `m${i}` }));
      }
      const latest = await f.store.conversations.messagesBefore(id, undefined, 3);
      expect(latest.items.map((m) => m.body)).toEqual(['m5', 'm6', 'm7']);
      expect(latest.hasMore).toBe(true);
      const earlier = await f.store.conversations.messagesBefore(id, 5, 10);
      expect(earlier.items.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
      expect(earlier.hasMore).toBe(false);
      const missed = await f.store.conversations.messagesAfter(id, 4, 100);
      expect(missed.map((m) => m.seq)).toEqual([5, 6, 7]);
    });

    it('keeps notes for agents from the visitor: history, replay, unread, preview', async () => {
      const v = await f.visitor();
      const id = await f.openWithMessage(v, undefined, { body: 'm1' });
      const before = await f.store.conversations.get(id);
      const note = await f.store.conversations.append(
        f.message(id, {
          body: 'refunded',
          author: { kind: 'agent', id: 'agent_1', name: 'Ada', avatarUrl: null },
          visibility: 'agents',
        }),
      );
      expect(note.message).toMatchObject({ seq: 2, visibility: 'agents' });
      await f.store.conversations.append(f.message(id, { body: 'm3' }));
      const forAgents = await f.store.conversations.messagesAfter(id, 0, 10, 'agents');
      expect(forAgents.map((m) => [m.body, m.visibility])).toEqual([
        ['m1', undefined],
        ['refunded', 'agents'],
        ['m3', undefined],
      ]);
      expect((await f.store.conversations.messagesAfter(id, 0, 10)).map((m) => m.body)).toEqual([
        'm1',
        'm3',
      ]);
      const page = await f.store.conversations.messagesBefore(id, undefined, 10, 'visitor');
      expect(page.items.map((m) => m.body)).toEqual(['m1', 'm3']);
      const agentsPage = await f.store.conversations.messagesBefore(id, undefined, 10, 'agents');
      expect(agentsPage.items.map((m) => m.body)).toEqual(['m1', 'refunded', 'm3']);
      const after = await f.store.conversations.get(id);
      expect(after).toMatchObject({
        lastSeq: 3,
        unreadForVisitor: before?.unreadForVisitor,
        lastMessage: { body: 'm3' },
      });
      const read = await f.store.conversations.markRead(id, 'visitor', 1);
      expect(read?.unreadForVisitor).toBe(0);
    });

    it('moves read markers forward only, never past the last message', async () => {
      const v = await f.visitor();
      const id = await f.openWithMessage(v);
      await f.store.conversations.append(f.message(id));
      expect((await f.store.conversations.markRead(id, 'agents', 99))?.agentReadSeq).toBe(2);
      expect((await f.store.conversations.markRead(id, 'agents', 1))?.agentReadSeq).toBe(2);
      expect((await f.store.conversations.markRead(id, 'visitor', 1))?.visitorReadSeq).toBe(1);
    });

    it("keeps each side's unread count through messages, replies and reads", async () => {
      const v = await f.visitor();
      const agent = { kind: 'agent', id: 'a1', name: 'Ann', avatarUrl: null } as const;
      const id = await f.openWithMessage(v);
      const second = await f.store.conversations.append(f.message(id));
      expect(second.conversation).toMatchObject({ unreadForAgents: 2, unreadForVisitor: 0 });
      // An agent has read what they answer.
      const reply = await f.store.conversations.append(
        f.message(id, { author: agent, senderKey: 'a:a1' }),
      );
      expect(reply.conversation).toMatchObject({
        agentReadSeq: 3,
        unreadForAgents: 0,
        unreadForVisitor: 1,
      });
      await f.store.conversations.append(f.message(id, { author: agent, senderKey: 'a:a1' }));
      await f.store.conversations.append(f.message(id));
      expect(await f.store.conversations.markRead(id, 'visitor', 3)).toMatchObject({
        visitorReadSeq: 3,
        unreadForVisitor: 1,
      });
      expect(await f.store.conversations.markRead(id, 'visitor', 5)).toMatchObject({
        unreadForVisitor: 0,
      });
      expect(await f.store.conversations.get(id)).toMatchObject({ unreadForAgents: 1 });
      expect(await f.store.conversations.markRead(id, 'agents', 5)).toMatchObject({
        unreadForAgents: 0,
      });
    });

    it('counts unread visitor messages for agents in the inbox, newest activity first', async () => {
      const a = await f.visitor({ externalUserId: 'user-a', identity: 'claimed' });
      const b = await f.visitor();
      await f.openWithMessage(a, 'conv_a', { createdAt: '2026-01-01T00:00:01.000Z' });
      await f.store.conversations.append(
        f.message('conv_a', { createdAt: '2026-01-01T00:00:02.000Z' }),
      );
      await f.openWithMessage(b, 'conv_b', { createdAt: '2026-01-01T00:00:03.000Z' });
      const rows = await f.store.conversations.inbox({
        projectIds: ['p1'],
        status: 'open',
        limit: 10,
      });
      expect(rows.map((r) => [r.id, r.unreadForAgents])).toEqual([
        ['conv_b', 1],
        ['conv_a', 2],
      ]);
      expect(rows[1]?.visitor).toMatchObject({ externalUserId: 'user-a', identity: 'claimed' });
      expect(await f.store.conversations.inboxRow('conv_a')).toEqual(rows[1]);
      const page2 = await f.store.conversations.inbox({
        projectIds: ['p1'],
        status: 'open',
        limit: 10,
        after: { lastActivityAt: rows[0]!.lastActivityAt, id: rows[0]!.id },
      });
      expect(page2.map((r) => r.id)).toEqual(['conv_a']);
    });

    it('refuses to reopen a conversation while the visitor has another open one', async () => {
      const v = await f.visitor();
      await f.openWithMessage(v, 'c1');
      await f.store.conversations.setStatus('c1', 'closed', f.now);
      expect(await f.openWithMessage(v, 'c2')).toBe('c2');
      expect(await f.store.conversations.setStatus('c1', 'open', f.now)).toBeNull();
      expect((await f.store.conversations.get('c1'))?.status).toBe('closed');
    });
  });
}
