import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ConversationList,
  ErrorBody,
  Message,
  MessagePage,
  VisitorServerFrame,
} from '../../protocol/index.js';
import {
  AgentClient,
  readyVisitorSocket,
  sendAndAck,
  startSession,
  type FrameOf,
} from '../support/clients.js';
import { ADMIN, startTestServer, type TestServer } from '../support/server.js';

type Ack = FrameOf<VisitorServerFrame, 'ack'>;

let server: TestServer;
let admin: AgentClient;
beforeAll(async () => {
  server = await startTestServer();
  admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
});
afterAll(() => server.close());

async function openConversationIds(visitorId: string): Promise<string[]> {
  const inbox = await admin.request<ConversationList>(
    'GET',
    '/api/agent/conversations?status=open&limit=100',
  );
  return inbox.body.items.filter((c) => c.visitorId === visitorId).map((c) => c.id);
}

describe('one visitor in many tabs at once', () => {
  it('resumes the same visitor from many simultaneous session starts', async () => {
    const first = await startSession(server.url);
    const token = first.body.visitorToken;
    const starts = await Promise.all(
      Array.from({ length: 12 }, () => startSession(server.url, { visitorToken: token })),
    );
    expect(starts.map((s) => s.status)).toEqual(Array(12).fill(200));
    expect(new Set(starts.map((s) => s.body.visitorId))).toEqual(new Set([first.body.visitorId]));
  });

  it('puts simultaneous first messages from several tabs into one open conversation', async () => {
    const session = await startSession(server.url);
    const token = session.body.visitorToken;
    const tabs = await Promise.all(
      Array.from({ length: 6 }, () => readyVisitorSocket(server.wsUrl, token)),
    );
    tabs.forEach((tab, t) => {
      for (let i = 0; i < 4; i++) {
        tab.send({ type: 'send', clientMessageId: `tab${t}-msg${i}`, body: `tab ${t} #${i}` });
      }
    });
    const acks = (
      await Promise.all(tabs.map((tab) => tab.many<Ack>(4, (f) => f.type === 'ack')))
    ).flat();

    const conversationIds = new Set(acks.map((a) => a.message.conversationId));
    expect(conversationIds.size).toBe(1);
    const [conversationId] = [...conversationIds];
    expect(acks.map((a) => a.message.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 24 }, (_, i) => i + 1),
    );
    expect(await openConversationIds(session.body.visitorId)).toEqual([conversationId]);

    // Every tab sees the other tabs' messages too, and each tab's sends keep their order.
    for (const [t, tab] of tabs.entries()) {
      const others = await tab.many(20, (f) => f.type === 'message');
      expect(others).toHaveLength(20);
      await tab.next((f) => f.type === 'conversation' && f.conversation.id === conversationId);
      const mine = tab
        .all('ack')
        .map((a) => a.message)
        .filter((m) => m.clientMessageId?.startsWith(`tab${t}-`));
      expect(mine.map((m) => m.body)).toEqual([0, 1, 2, 3].map((i) => `tab ${t} #${i}`));
      expect(mine.map((m) => m.seq)).toEqual([...mine.map((m) => m.seq)].sort((a, b) => a - b));
    }
    for (const tab of tabs) tab.close();
  });

  it('stores one message when several tabs send the same client id at once', async () => {
    const session = await startSession(server.url);
    const token = session.body.visitorToken;
    const tabs = await Promise.all(
      Array.from({ length: 5 }, () => readyVisitorSocket(server.wsUrl, token)),
    );
    const acks: Message[] = await Promise.all(
      tabs.map((tab) => sendAndAck(tab, { clientMessageId: 'shared-id', body: 'Same message' })),
    );
    expect(new Set(acks.map((m) => m.id)).size).toBe(1);

    const page = await admin.request<MessagePage>(
      'GET',
      `/api/agent/conversations/${acks[0]!.conversationId}/messages`,
    );
    expect(page.body.items).toHaveLength(1);
    expect(await openConversationIds(session.body.visitorId)).toHaveLength(1);
    for (const tab of tabs) tab.close();
  });

  it('lets the database refuse a second open conversation for the same visitor', async () => {
    const session = await startSession(server.url);
    const tab = await readyVisitorSocket(server.wsUrl, session.body.visitorToken);
    const old = await sendAndAck(tab, { clientMessageId: 'db-old', body: 'First question' });
    await admin.request('POST', `/api/agent/conversations/${old.conversationId}/close`);
    const current = await sendAndAck(tab, { clientMessageId: 'db-new', body: 'Second question' });

    // Two agents reopening the old conversation at once: both are refused, nothing changes.
    const reopens = await Promise.all(
      [1, 2, 3].map(() =>
        admin.request<ErrorBody>('POST', `/api/agent/conversations/${old.conversationId}/reopen`),
      ),
    );
    expect(reopens.map((r) => r.status)).toEqual([409, 409, 409]);
    expect(await openConversationIds(session.body.visitorId)).toEqual([current.conversationId]);

    // First messages racing past the application straight into the store: the database keeps
    // the one open conversation.
    const raced = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        server.services.store.conversations.append({
          target: {
            openFor: {
              visitorId: session.body.visitorId,
              projectId: 'acme',
              newConversationId: `conv_race_${i}`,
            },
          },
          senderKey: `v:${session.body.visitorId}`,
          clientMessageId: `db-race-${i}`,
          author: { kind: 'visitor', id: session.body.visitorId, name: null, avatarUrl: null },
          body: 'Racing',
          createdAt: new Date().toISOString(),
        }),
      ),
    );
    expect(raced.filter((r) => r.opened)).toHaveLength(0);
    expect(new Set(raced.map((r) => r.conversation.id))).toEqual(new Set([current.conversationId]));
    tab.close();
  });
});
