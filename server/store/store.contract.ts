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
        target: { conversationId },
        senderKey: 'v:x',
        clientMessageId: newId('c'),
        author: { kind: 'visitor', id: 'x', name: null, avatarUrl: null },
        body: 'hello',
        createdAt: now,
        ...overrides,
      };
    }

    function openFor(v: VisitorRecord, newConversationId = newId('conv')): NewMessage['target'] {
      return { openFor: { visitorId: v.id, projectId: 'p1', newConversationId } };
    }

    /** Opens the visitor's conversation with a first message (seq 1); its id. */
    async function openWithMessage(
      v: VisitorRecord,
      id = newId('conv'),
      overrides: Partial<NewMessage> = {},
    ): Promise<string> {
      const first = await store.appendMessage({
        ...message(''),
        target: openFor(v, id),
        ...overrides,
      });
      return first.conversation.id;
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

    it('keeps one open conversation per visitor even when first messages race', async () => {
      const v = await visitor();
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          store.appendMessage({ ...message(''), target: openFor(v) }),
        ),
      );
      expect(new Set(results.map((r) => r.conversation.id)).size).toBe(1);
      expect(results.filter((r) => r.opened)).toHaveLength(1);
      expect(results.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8,
      ]);
    });

    it('numbers messages 1, 2, 3 per conversation and dedupes repeated client ids', async () => {
      const v = await visitor();
      const first = await store.appendMessage({
        ...message('', { clientMessageId: 'same' }),
        target: openFor(v),
      });
      const again = await store.appendMessage({
        ...message('', { clientMessageId: 'same' }),
        target: openFor(v),
      });
      const second = await store.appendMessage(message(first.conversation.id));
      expect(first).toMatchObject({ created: true, opened: true, conversation: { lastSeq: 1 } });
      expect(again).toMatchObject({ message: first.message, created: false, opened: false });
      expect(again.conversation.id).toBe(first.conversation.id);
      expect([first.message.seq, second.message.seq]).toEqual([1, 2]);
      expect(second.conversation.lastMessage?.seq).toBe(2);
      expect((await store.getConversation(first.conversation.id))?.lastSeq).toBe(2);
    });

    it('answers a repeated client id with the first message even after its conversation closed', async () => {
      const v = await visitor();
      const first = await store.appendMessage({
        ...message('', { clientMessageId: 'retry' }),
        target: openFor(v),
      });
      await store.setConversationStatus(first.conversation.id, 'closed', now);
      const retried = await store.appendMessage({
        ...message('', { clientMessageId: 'retry' }),
        target: openFor(v),
      });
      expect(retried).toMatchObject({ message: first.message, created: false, opened: false });
      expect(retried.conversation).toMatchObject({ id: first.conversation.id, status: 'closed' });
      expect(await store.getOpenConversation(v.id)).toBeNull();
    });

    it('fails an append to a missing conversation alone, not the appends beside it', async () => {
      const v = await visitor();
      const id = await openWithMessage(v);
      const results = await Promise.allSettled([
        store.appendMessage(message(id)),
        store.appendMessage(message('conv_missing')),
        store.appendMessage(message(id)),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await store.getConversation(id))?.lastSeq).toBe(3);
      expect(await store.getConversation('conv_missing')).toBeNull();
    });

    it('finds a stored message by its sender and client id, and only by both', async () => {
      const v = await visitor();
      const id = await openWithMessage(v);
      const { message: stored } = await store.appendMessage(
        message(id, { senderKey: 'v:a', clientMessageId: 'c-1' }),
      );
      expect(await store.findMessageBySender('v:a', 'c-1')).toEqual(stored);
      expect(await store.findMessageBySender('v:b', 'c-1')).toBeNull();
      expect(await store.findMessageBySender('v:a', 'c-2')).toBeNull();
    });

    it('gives concurrent appends distinct consecutive seqs', async () => {
      const v = await visitor();
      const id = await openWithMessage(v);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.appendMessage(message(id))),
      );
      expect(results.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 2),
      );
    });

    it('pages history backwards and replays forwards in seq order', async () => {
      const v = await visitor();
      const id = await openWithMessage(v, undefined, { body: 'm1' });
      for (let i = 2; i <= 7; i++) {
        await store.appendMessage(message(id, { body: `m${i}` }));
      }
      const latest = await store.messagesBefore(id, undefined, 3);
      expect(latest.items.map((m) => m.body)).toEqual(['m5', 'm6', 'm7']);
      expect(latest.hasMore).toBe(true);
      const earlier = await store.messagesBefore(id, 5, 10);
      expect(earlier.items.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
      expect(earlier.hasMore).toBe(false);
      const missed = await store.messagesAfter(id, 4, 100);
      expect(missed.map((m) => m.seq)).toEqual([5, 6, 7]);
    });

    it('moves read markers forward only, never past the last message', async () => {
      const v = await visitor();
      const id = await openWithMessage(v);
      await store.appendMessage(message(id));
      expect((await store.markRead(id, 'agents', 99))?.agentReadSeq).toBe(2);
      expect((await store.markRead(id, 'agents', 1))?.agentReadSeq).toBe(2);
      expect((await store.markRead(id, 'visitor', 1))?.visitorReadSeq).toBe(1);
    });

    it("keeps each side's unread count through messages, replies and reads", async () => {
      const v = await visitor();
      const agent = { kind: 'agent', id: 'a1', name: 'Ann', avatarUrl: null } as const;
      const id = await openWithMessage(v);
      const second = await store.appendMessage(message(id));
      expect(second.conversation).toMatchObject({ unreadForAgents: 2, unreadForVisitor: 0 });
      // An agent has read what they answer.
      const reply = await store.appendMessage(message(id, { author: agent, senderKey: 'a:a1' }));
      expect(reply.conversation).toMatchObject({
        agentReadSeq: 3,
        unreadForAgents: 0,
        unreadForVisitor: 1,
      });
      await store.appendMessage(message(id, { author: agent, senderKey: 'a:a1' }));
      await store.appendMessage(message(id));
      expect(await store.markRead(id, 'visitor', 3)).toMatchObject({
        visitorReadSeq: 3,
        unreadForVisitor: 1,
      });
      expect(await store.markRead(id, 'visitor', 5)).toMatchObject({ unreadForVisitor: 0 });
      expect(await store.getConversation(id)).toMatchObject({ unreadForAgents: 1 });
      expect(await store.markRead(id, 'agents', 5)).toMatchObject({ unreadForAgents: 0 });
    });

    it('counts unread visitor messages for agents in the inbox, newest activity first', async () => {
      const a = await visitor({ externalUserId: 'user-a', identity: 'claimed' });
      const b = await visitor();
      await openWithMessage(a, 'conv_a', { createdAt: '2026-01-01T00:00:01.000Z' });
      await store.appendMessage(message('conv_a', { createdAt: '2026-01-01T00:00:02.000Z' }));
      await openWithMessage(b, 'conv_b', { createdAt: '2026-01-01T00:00:03.000Z' });
      const rows = await store.inbox({ projectIds: ['p1'], status: 'open', limit: 10 });
      expect(rows.map((r) => [r.id, r.unreadForAgents])).toEqual([
        ['conv_b', 1],
        ['conv_a', 2],
      ]);
      expect(rows[1]?.visitor).toMatchObject({ externalUserId: 'user-a', identity: 'claimed' });
      expect(await store.inboxRow('conv_a')).toEqual(rows[1]);
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
      await openWithMessage(v, 'c1');
      await store.setConversationStatus('c1', 'closed', now);
      expect(await openWithMessage(v, 'c2')).toBe('c2');
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

    const agent = (email: string) => ({
      id: newId('agt'),
      email,
      name: email,
      role: 'admin' as const,
      active: true,
      passwordHash: 'x',
      projectIds: ['p1'],
      createdAt: now,
    });
    const createdOnce = (outcomes: boolean[]) => outcomes.filter(Boolean).length;
    /** Open connections first (PostgreSQL), so that racing callers really run side by side. */
    const connectionsForEveryCaller = () => Promise.all([1, 2, 3, 4].map(() => store.ping()));

    it('creates a seeded project once, however many callers race to create it', async () => {
      await connectionsForEveryCaller();
      const project = (name: string) => ({
        id: 'seeded',
        name,
        allowedOrigins: [],
        widget: DEFAULT_WIDGET_OPTIONS,
        createdAt: now,
      });
      const outcomes = await Promise.all(
        ['a', 'b', 'c', 'd'].map((name) => store.createProjectIfAbsent(project(name))),
      );
      expect(createdOnce(outcomes)).toBe(1);
      expect(await store.createProjectIfAbsent(project('later'))).toBe(false);
      expect((await store.listProjects(['seeded'])).length).toBe(1);
    });

    it('creates a seeded agent once per email, with its memberships, however many callers race', async () => {
      await connectionsForEveryCaller();
      const outcomes = await Promise.all(
        [1, 2, 3, 4].map(() => store.createAgentIfAbsent(agent('Seed@Example.com'))),
      );
      expect(createdOnce(outcomes)).toBe(1);
      expect(await store.listAgents()).toMatchObject([
        { email: 'seed@example.com', projectIds: ['p1'] },
      ]);
    });

    it('creates a first agent only while there is none, even when callers race with different ones', async () => {
      await connectionsForEveryCaller();
      const outcomes = await Promise.all(
        [1, 2, 3, 4].map((i) => store.createFirstAgent(agent(`first-${i}@example.com`))),
      );
      expect(createdOnce(outcomes)).toBe(1);
      expect(await store.countAgents()).toBe(1);
      expect(await store.createFirstAgent(agent('late@example.com'))).toBe(false);
      expect(await store.countAgents()).toBe(1);
    });

    it('keeps the first integration created for a project, and configures an unconfigured one once', async () => {
      const integration = (secret: string, url = '') => ({
        projectId: 'p1',
        enabled: url !== '',
        style: 'path' as const,
        url,
        paramName: 'id',
        method: 'GET' as const,
        headersSealed: null,
        freshnessSeconds: 60,
        requireVerified: true,
        secretsSealed: secret,
        health: {
          status: 'unknown' as const,
          failingSince: null,
          lastSuccessAt: null,
          lastError: null,
        },
        updatedAt: null,
      });
      await connectionsForEveryCaller();
      await Promise.all(
        ['s1', 's2', 's3'].map((s) => store.identity.createIntegrationIfAbsent(integration(s))),
      );
      const first = (await store.identity.getIntegration('p1'))!.secretsSealed;
      await store.identity.createIntegrationIfAbsent(integration('late'));
      expect((await store.identity.getIntegration('p1'))!.secretsSealed).toBe(first);

      const outcomes = await Promise.all(
        ['a', 'b', 'c'].map((host) =>
          store.identity.saveIntegrationIfUnconfigured(
            integration(first!, `https://${host}.test/{id}`),
          ),
        ),
      );
      expect(createdOnce(outcomes)).toBe(1);
      const configured = (await store.identity.getIntegration('p1'))!.url;
      expect(
        await store.identity.saveIntegrationIfUnconfigured(
          integration(first!, 'https://z.test/{id}'),
        ),
      ).toBe(false);
      expect((await store.identity.getIntegration('p1'))!.url).toBe(configured);
    });
  });
}
