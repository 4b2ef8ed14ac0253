import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WIDGET_OPTIONS } from '../../protocol/index.js';
import { newId } from '../ids.js';
import { LOG_RETENTION } from './identity-store.js';
import type { NewMessage, Store, VisitorRecord } from './port.js';

/**
 * The behaviour every Store adapter must have. Each adapter's test file calls this with a factory
 * that opens an empty store.
 */
export function describeStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`${name} store`, () => {
    let store: Store;
    const now = '2026-01-01T00:00:00.000Z';

    beforeEach(async () => {
      store = await open();
      await store.createProject({
        id: 'p1',
        name: 'P1',
        allowedOrigins: ['https://a.test'],
        widget: DEFAULT_WIDGET_OPTIONS,
        createdAt: now,
      });
    });
    afterEach(() => store.close());

    async function visitor(overrides: Partial<VisitorRecord> = {}): Promise<VisitorRecord> {
      const record: VisitorRecord = {
        id: newId('vis'),
        projectId: 'p1',
        externalUserId: null,
        identity: 'anonymous',
        firstSeenAt: now,
        lastSeenAt: now,
        pageUrl: null,
        referrer: null,
        userAgent: null,
        locale: null,
        ...overrides,
      };
      await store.createVisitor({ ...record, tokenHash: newId('tok') });
      return record;
    }

    function message(conversationId: string, overrides: Partial<NewMessage> = {}): NewMessage {
      return {
        conversationId,
        senderKey: 'v:x',
        clientMessageId: newId('c'),
        author: { kind: 'visitor', id: 'x', name: null, avatarUrl: null },
        body: 'hello',
        createdAt: now,
        ...overrides,
      };
    }

    it('round-trips projects with their origins and widget options', async () => {
      const project = await store.getProject('p1');
      expect(project).toEqual({
        id: 'p1',
        name: 'P1',
        allowedOrigins: ['https://a.test'],
        widget: DEFAULT_WIDGET_OPTIONS,
        createdAt: now,
      });
      const updated = await store.updateProject('p1', { name: 'Renamed', allowedOrigins: [] });
      expect(updated).toMatchObject({ name: 'Renamed', allowedOrigins: [] });
    });

    it('keeps one open conversation per visitor even when opened concurrently', async () => {
      const v = await visitor();
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          store.openConversation({
            id: newId('conv'),
            projectId: 'p1',
            visitorId: v.id,
            createdAt: now,
          }),
        ),
      );
      const ids = new Set(results.map((r) => r.conversation.id));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
    });

    it('numbers messages 1, 2, 3 per conversation and dedupes repeated client ids', async () => {
      const v = await visitor();
      const { conversation } = await store.openConversation({
        id: newId('conv'),
        projectId: 'p1',
        visitorId: v.id,
        createdAt: now,
      });
      const first = await store.appendMessage(
        message(conversation.id, { clientMessageId: 'same' }),
      );
      const again = await store.appendMessage(
        message(conversation.id, { clientMessageId: 'same' }),
      );
      const second = await store.appendMessage(message(conversation.id));
      expect(first.created).toBe(true);
      expect(first.conversation?.lastSeq).toBe(1);
      expect(again).toEqual({ message: first.message, created: false, conversation: null });
      expect([first.message.seq, second.message.seq]).toEqual([1, 2]);
      expect(second.conversation?.lastMessage?.seq).toBe(2);
      expect((await store.getConversation(conversation.id))?.lastSeq).toBe(2);
    });

    it('finds a stored message by its sender and client id, and only by both', async () => {
      const v = await visitor();
      const { conversation } = await store.openConversation({
        id: newId('conv'),
        projectId: 'p1',
        visitorId: v.id,
        createdAt: now,
      });
      const { message: stored } = await store.appendMessage(
        message(conversation.id, { senderKey: 'v:a', clientMessageId: 'c-1' }),
      );
      expect(await store.findMessageBySender('v:a', 'c-1')).toEqual(stored);
      expect(await store.findMessageBySender('v:b', 'c-1')).toBeNull();
      expect(await store.findMessageBySender('v:a', 'c-2')).toBeNull();
    });

    it('gives concurrent appends distinct consecutive seqs', async () => {
      const v = await visitor();
      const { conversation } = await store.openConversation({
        id: newId('conv'),
        projectId: 'p1',
        visitorId: v.id,
        createdAt: now,
      });
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.appendMessage(message(conversation.id))),
      );
      expect(results.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    });

    it('pages history backwards and replays forwards in seq order', async () => {
      const v = await visitor();
      const { conversation } = await store.openConversation({
        id: newId('conv'),
        projectId: 'p1',
        visitorId: v.id,
        createdAt: now,
      });
      for (let i = 1; i <= 7; i++) {
        await store.appendMessage(message(conversation.id, { body: `m${i}` }));
      }
      const latest = await store.messagesBefore(conversation.id, undefined, 3);
      expect(latest.items.map((m) => m.body)).toEqual(['m5', 'm6', 'm7']);
      expect(latest.hasMore).toBe(true);
      const earlier = await store.messagesBefore(conversation.id, 5, 10);
      expect(earlier.items.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
      expect(earlier.hasMore).toBe(false);
      const missed = await store.messagesAfter(conversation.id, 4, 100);
      expect(missed.map((m) => m.seq)).toEqual([5, 6, 7]);
    });

    it('moves read markers forward only, never past the last message', async () => {
      const v = await visitor();
      const { conversation } = await store.openConversation({
        id: newId('conv'),
        projectId: 'p1',
        visitorId: v.id,
        createdAt: now,
      });
      await store.appendMessage(message(conversation.id));
      await store.appendMessage(message(conversation.id));
      expect((await store.markRead(conversation.id, 'agents', 99))?.agentReadSeq).toBe(2);
      expect((await store.markRead(conversation.id, 'agents', 1))?.agentReadSeq).toBe(2);
      expect((await store.markRead(conversation.id, 'visitor', 1))?.visitorReadSeq).toBe(1);
    });

    it('counts unread visitor messages for agents in the inbox, newest activity first', async () => {
      const a = await visitor({ externalUserId: 'user-a', identity: 'claimed' });
      const b = await visitor();
      const ca = await store.openConversation({
        id: 'conv_a',
        projectId: 'p1',
        visitorId: a.id,
        createdAt: now,
      });
      const cb = await store.openConversation({
        id: 'conv_b',
        projectId: 'p1',
        visitorId: b.id,
        createdAt: now,
      });
      await store.appendMessage(
        message(ca.conversation.id, { createdAt: '2026-01-01T00:00:01.000Z' }),
      );
      await store.appendMessage(
        message(ca.conversation.id, { createdAt: '2026-01-01T00:00:02.000Z' }),
      );
      await store.appendMessage(
        message(cb.conversation.id, { createdAt: '2026-01-01T00:00:03.000Z' }),
      );
      const rows = await store.inbox({ projectIds: ['p1'], status: 'open', limit: 10 });
      expect(rows.map((r) => [r.id, r.unreadForAgents])).toEqual([
        ['conv_b', 1],
        ['conv_a', 2],
      ]);
      expect(rows[1]?.visitor).toMatchObject({ externalUserId: 'user-a', identity: 'claimed' });
      const page2 = await store.inbox({
        projectIds: ['p1'],
        status: 'open',
        limit: 10,
        after: { lastActivityAt: rows[0]!.lastActivityAt, id: rows[0]!.id },
      });
      expect(page2.map((r) => r.id)).toEqual(['conv_a']);
    });

    it('refuses to reopen a conversation while the visitor has another open one', async () => {
      const v = await visitor();
      const first = await store.openConversation({
        id: 'c1',
        projectId: 'p1',
        visitorId: v.id,
        createdAt: now,
      });
      await store.setConversationStatus(first.conversation.id, 'closed', now);
      await store.openConversation({ id: 'c2', projectId: 'p1', visitorId: v.id, createdAt: now });
      expect(await store.setConversationStatus('c1', 'open', now)).toBeNull();
      expect((await store.getConversation('c1'))?.status).toBe('closed');
    });

    it('keeps the newest LOG_RETENTION integration log entries of a project', async () => {
      const extra = 3;
      for (let i = 0; i < LOG_RETENTION + extra; i++) {
        await store.identity.appendLog({
          projectId: 'p1',
          id: `ilog_${String(i).padStart(5, '0')}`,
          at: new Date(Date.parse(now) + i * 1000).toISOString(),
          externalUserId: `u${i}`,
          trigger: 'session',
          outcome: 'ok',
          httpStatus: 200,
          latencyMs: 1,
          errorClass: null,
          message: null,
          invalidFields: [],
          droppedPii: [],
        });
      }
      const kept = await store.identity.listLog('p1', { limit: LOG_RETENTION + 10 });
      expect(kept).toHaveLength(LOG_RETENTION);
      expect(kept[0]?.externalUserId).toBe(`u${LOG_RETENTION + extra - 1}`);
      expect(kept.at(-1)?.externalUserId).toBe(`u${extra}`);
    }, 30_000);

    it('stores agents with their memberships and finds them by email case-insensitively', async () => {
      await store.createAgent({
        id: 'agt_1',
        email: 'Sam@Example.com',
        name: 'Sam',
        role: 'agent',
        active: true,
        passwordHash: 'x',
        projectIds: ['p1'],
        createdAt: now,
      });
      expect((await store.getAgentByEmail('sam@example.COM'))?.projectIds).toEqual(['p1']);
      await store.updateAgent('agt_1', { active: false, projectIds: [] });
      expect(await store.getAgent('agt_1')).toMatchObject({ active: false, projectIds: [] });
    });
  });
}
