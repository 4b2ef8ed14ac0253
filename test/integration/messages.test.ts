import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MESSAGE_MAX_LENGTH,
  type AgentServerFrame,
  type Conversation,
  type ConversationDetail,
  type ConversationList,
  type ErrorBody,
  type MessagePage,
  type VisitorServerFrame,
} from '../../protocol/index.js';
import {
  AgentClient,
  readyVisitorSocket,
  sendAndAck,
  startConversation,
  startSession,
  type FrameOf,
} from '../support/clients.js';
import { ADMIN, startTestServer, type TestServer } from '../support/server.js';

type VisitorFrame<T extends VisitorServerFrame['type']> = FrameOf<VisitorServerFrame, T>;
type AgentFrame<T extends AgentServerFrame['type']> = FrameOf<AgentServerFrame, T>;

let server: TestServer;
let admin: AgentClient;
beforeAll(async () => {
  server = await startTestServer();
  admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
});
afterAll(() => server.close());

async function history(conversationId: string) {
  const page = await admin.request<MessagePage>(
    'GET',
    `/api/agent/conversations/${conversationId}/messages`,
  );
  expect(page.status).toBe(200);
  return page.body.items;
}

async function conversation(conversationId: string): Promise<Conversation> {
  const found = await admin.request<ConversationDetail>(
    'GET',
    `/api/agent/conversations/${conversationId}`,
  );
  expect(found.status).toBe(200);
  return found.body.conversation;
}

async function openConversationsOf(visitorId: string): Promise<Conversation[]> {
  const inbox = await admin.request<ConversationList>(
    'GET',
    '/api/agent/conversations?status=open&limit=100',
  );
  return inbox.body.items.filter((c) => c.visitorId === visitorId);
}

describe('sending messages', () => {
  it('acknowledges a visitor message with its stored copy and seq', async () => {
    const session = await startSession(server.url);
    const visitor = await readyVisitorSocket(server.wsUrl, session.body.visitorToken);
    visitor.send({ type: 'send', clientMessageId: 'm-1', body: '  Is shipping free?  ' });
    const ack = await visitor.next<VisitorFrame<'ack'>>((f) => f.type === 'ack');
    expect(ack.clientMessageId).toBe('m-1');
    expect(ack.message).toMatchObject({
      seq: 1,
      clientMessageId: 'm-1',
      body: 'Is shipping free?',
      author: { kind: 'visitor', id: session.body.visitorId },
    });
    expect(await history(ack.message.conversationId)).toEqual([ack.message]);
    visitor.close();
  });

  it('stores a message sent twice with the same client id once, and acks both alike', async () => {
    const agentSocket = await admin.readySocket();
    const { socket: visitor, conversationId, first: opening } = await startConversation(server);

    const first = await sendAndAck(visitor, { clientMessageId: 'twice', body: 'Only once please' });
    const again = await sendAndAck(visitor, { clientMessageId: 'twice', body: 'Only once please' });
    expect(again).toEqual(first);
    // A retry with a changed body is still the same message: the first write wins.
    const changed = await sendAndAck(visitor, { clientMessageId: 'twice', body: 'Edited' });
    expect(changed).toEqual(first);

    const barrier = await sendAndAck(visitor, { clientMessageId: 'after-twice', body: 'Next' });
    await agentSocket.next((f) => f.type === 'message' && f.message.id === barrier.id);
    const copies = agentSocket
      .all('message')
      .filter((f) => f.message.conversationId === conversationId && f.message.seq === first.seq);
    expect(copies).toHaveLength(1);

    const stored = await history(conversationId);
    expect(stored.map((m) => m.clientMessageId)).toEqual([
      opening.clientMessageId,
      'twice',
      'after-twice',
    ]);
    expect(stored.map((m) => m.seq)).toEqual([1, 2, 3]);
    visitor.close();
    agentSocket.close();
  });

  it('gives the messages of a conversation strictly increasing seqs, whoever sends them', async () => {
    const { socket: visitor, conversationId } = await startConversation(server);
    const agentSocket = await admin.readySocket();

    for (let i = 0; i < 10; i++) {
      visitor.send({ type: 'send', clientMessageId: `burst-${i}`, body: `visitor ${i}` });
      agentSocket.send({
        type: 'send',
        conversationId,
        clientMessageId: `agent-burst-${i}`,
        body: `agent ${i}`,
      });
    }
    const visitorAcks = await visitor.many<VisitorFrame<'ack'>>(
      10,
      (f) => f.type === 'ack' && f.clientMessageId.startsWith('burst-'),
    );
    const agentAcks = await agentSocket.many<AgentFrame<'ack'>>(10, (f) => f.type === 'ack');
    // One socket's messages are stored in the order it sent them.
    expect(visitorAcks.map((a) => a.message.body)).toEqual(
      Array.from({ length: 10 }, (_, i) => `visitor ${i}`),
    );
    const visitorSeqs = visitorAcks.map((a) => a.message.seq);
    expect(visitorSeqs).toEqual([...visitorSeqs].sort((a, b) => a - b));

    const stored = await history(conversationId);
    expect(stored).toHaveLength(21);
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(new Set([...visitorAcks, ...agentAcks].map((a) => a.message.seq)).size).toBe(20);
    visitor.close();
    agentSocket.close();
  });

  it('refuses a message over the length limit with an error naming the send', async () => {
    const { socket: visitor, conversationId } = await startConversation(server);
    const from = visitor.mark();
    visitor.send({
      type: 'send',
      clientMessageId: 'too-long',
      body: 'x'.repeat(MESSAGE_MAX_LENGTH + 1),
    });
    const error = await visitor.next<VisitorFrame<'error'>>((f) => f.type === 'error', { from });
    expect(error).toMatchObject({ code: 'bad_frame', clientMessageId: 'too-long' });
    expect(error.message).toContain(String(MESSAGE_MAX_LENGTH));

    visitor.send({ type: 'send', clientMessageId: 'blank', body: ' \n\t ' });
    const blank = await visitor.next<VisitorFrame<'error'>>(
      (f) => f.type === 'error' && f.clientMessageId === 'blank',
      { from },
    );
    expect(blank.code).toBe('bad_frame');

    const longest = await sendAndAck(visitor, {
      clientMessageId: 'just-fits',
      body: 'y'.repeat(MESSAGE_MAX_LENGTH),
    });
    expect(longest.body).toHaveLength(MESSAGE_MAX_LENGTH);
    expect((await history(conversationId)).map((m) => m.clientMessageId)).not.toContain('too-long');
    visitor.close();
  });

  it('delivers an agent reply to the visitor live, with the agent as author', async () => {
    const { socket: visitor, conversationId } = await startConversation(server);
    const agentSocket = await admin.readySocket();
    const reply = await sendAndAck(agentSocket, {
      conversationId,
      clientMessageId: 'reply-1',
      body: 'Happy to help!',
    });
    expect(reply.author).toMatchObject({ kind: 'agent', name: 'Ada Admin' });

    const live = await visitor.next<VisitorFrame<'message'>>((f) => f.type === 'message');
    expect(live.message).toEqual(reply);
    // The agent's own socket gets the ack, not an echo of the message.
    expect(agentSocket.all('message').filter((f) => f.message.id === reply.id)).toHaveLength(0);
    visitor.close();
    agentSocket.close();
  });

  it('shows typing to the other side only', async () => {
    const { socket: visitor, conversationId } = await startConversation(server);
    const agentSocket = await admin.readySocket();

    visitor.send({ type: 'typing', isTyping: true });
    const seenByAgent = await agentSocket.next<AgentFrame<'typing'>>((f) => f.type === 'typing');
    expect(seenByAgent).toMatchObject({
      conversationId,
      isTyping: true,
      author: { kind: 'visitor' },
    });

    agentSocket.send({ type: 'typing', conversationId, isTyping: true });
    const seenByVisitor = await visitor.next<VisitorFrame<'typing'>>((f) => f.type === 'typing');
    expect(seenByVisitor).toMatchObject({
      conversationId,
      isTyping: true,
      author: { kind: 'agent', name: 'Ada Admin' },
    });
    expect(visitor.all('typing').some((f) => f.author.kind === 'visitor')).toBe(false);
    visitor.close();
    agentSocket.close();
  });
});

describe('read state', () => {
  it('counts visitor messages as unread for agents until an agent reads them', async () => {
    const { socket: visitor, conversationId } = await startConversation(server);
    await sendAndAck(visitor, { clientMessageId: 'unread-2', body: 'Anyone there?' });
    expect((await conversation(conversationId)).unreadForAgents).toBe(2);

    const agentSocket = await admin.readySocket();
    agentSocket.send({ type: 'read', conversationId, seq: 1 });
    const partly = await visitor.next<VisitorFrame<'read'>>((f) => f.type === 'read');
    expect(partly).toEqual({ type: 'read', conversationId, side: 'agents', seq: 1 });
    expect((await conversation(conversationId)).unreadForAgents).toBe(1);

    agentSocket.send({ type: 'read', conversationId, seq: 2 });
    await visitor.next((f) => f.type === 'read' && f.seq === 2);
    expect((await conversation(conversationId)).unreadForAgents).toBe(0);
    visitor.close();
    agentSocket.close();
  });

  it('counts agent replies as unread for the visitor until the visitor reads them', async () => {
    const { session, socket: visitor, conversationId } = await startConversation(server);
    const agentSocket = await admin.readySocket();
    for (const n of [1, 2]) {
      await sendAndAck(agentSocket, {
        conversationId,
        clientMessageId: `r-${n}`,
        body: `Reply ${n}`,
      });
    }
    // Replying counts as reading: the agent has seen what they answered.
    expect((await conversation(conversationId)).unreadForAgents).toBe(0);
    const update = await visitor.next<VisitorFrame<'conversation'>>(
      (f) => f.type === 'conversation' && f.conversation.lastSeq === 3,
    );
    expect(update.conversation.unread).toBe(2);

    const resumed = await startSession(server.url, { visitorToken: session.visitorToken });
    expect(resumed.body.conversation).toMatchObject({ id: conversationId, unread: 2 });

    visitor.send({ type: 'read', conversationId, seq: 3 });
    const seen = await agentSocket.next<AgentFrame<'read'>>((f) => f.type === 'read');
    expect(seen).toEqual({ type: 'read', conversationId, side: 'visitor', seq: 3 });
    const after = await startSession(server.url, { visitorToken: session.visitorToken });
    expect(after.body.conversation?.unread).toBe(0);
    visitor.close();
    agentSocket.close();
  });

  it('never moves a read marker backwards or past the last message', async () => {
    const { session, socket: visitor, conversationId } = await startConversation(server);
    const agentSocket = await admin.readySocket();
    await sendAndAck(agentSocket, { conversationId, clientMessageId: 'rb-1', body: 'One' });
    await sendAndAck(agentSocket, { conversationId, clientMessageId: 'rb-2', body: 'Two' });

    visitor.send({ type: 'read', conversationId, seq: 1000 });
    const clamped = await agentSocket.next<AgentFrame<'read'>>((f) => f.type === 'read');
    expect(clamped.seq).toBe(3);

    const from = agentSocket.mark();
    visitor.send({ type: 'read', conversationId, seq: 1 });
    await sendAndAck(visitor, { clientMessageId: 'rb-barrier', body: 'ok' });
    await agentSocket.next((f) => f.type === 'message', { from });
    expect(agentSocket.all('read', from)).toHaveLength(0);
    const resumed = await startSession(server.url, { visitorToken: session.visitorToken });
    expect(resumed.body.conversation?.unread).toBe(0);
    visitor.close();
    agentSocket.close();
  });
});

describe('closing and reopening', () => {
  it('tells the visitor live when an agent closes the conversation', async () => {
    const { session, socket: visitor, conversationId } = await startConversation(server);
    const closed = await admin.request<Conversation>(
      'POST',
      `/api/agent/conversations/${conversationId}/close`,
    );
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');

    const frame = await visitor.next<VisitorFrame<'conversation'>>(
      (f) => f.type === 'conversation' && f.event === 'closed',
    );
    expect(frame.conversation).toMatchObject({ id: conversationId, status: 'closed' });
    const resumed = await startSession(server.url, { visitorToken: session.visitorToken });
    expect(resumed.body.conversation).toBeNull();
    visitor.close();
  });

  it('refuses an agent reply to a closed conversation with a clear error', async () => {
    const { socket: visitor, conversationId } = await startConversation(server);
    await admin.request('POST', `/api/agent/conversations/${conversationId}/close`);
    const agentSocket = await admin.readySocket();
    agentSocket.send({ type: 'send', conversationId, clientMessageId: 'late', body: 'Hello?' });
    const error = await agentSocket.next<AgentFrame<'error'>>((f) => f.type === 'error');
    expect(error).toMatchObject({ code: 'conversation_closed', clientMessageId: 'late' });
    expect(await history(conversationId)).toHaveLength(1);
    visitor.close();
    agentSocket.close();
  });

  it('starts a new conversation when the visitor writes after it was closed', async () => {
    const { session, socket: visitor, conversationId } = await startConversation(server);
    await admin.request('POST', `/api/agent/conversations/${conversationId}/close`);
    await visitor.next((f) => f.type === 'conversation' && f.event === 'closed');
    const agentSocket = await admin.readySocket();

    const from = visitor.mark();
    const next = await sendAndAck(visitor, {
      clientMessageId: 'after-close',
      body: 'One more thing',
    });
    expect(next.conversationId).not.toBe(conversationId);
    expect(next.seq).toBe(1);
    const opened = await visitor.next<VisitorFrame<'conversation'>>(
      (f) => f.type === 'conversation' && f.event === 'opened',
      { from },
    );
    expect(opened.conversation).toMatchObject({ id: next.conversationId, status: 'open' });
    const agentSaw = await agentSocket.next<AgentFrame<'conversation'>>(
      (f) => f.type === 'conversation' && f.event === 'opened',
    );
    expect(agentSaw.conversation.id).toBe(next.conversationId);

    expect((await conversation(conversationId)).status).toBe('closed');
    expect(await history(conversationId)).toHaveLength(1);
    expect((await openConversationsOf(session.visitorId)).map((c) => c.id)).toEqual([
      next.conversationId,
    ]);
    visitor.close();
    agentSocket.close();
  });

  it('answers a retried send after the conversation closed with the original ack, opening nothing', async () => {
    const { session, socket: visitor, conversationId, first } = await startConversation(server);
    await admin.request('POST', `/api/agent/conversations/${conversationId}/close`);
    await visitor.next((f) => f.type === 'conversation' && f.event === 'closed');

    // The widget's outbox resends a message whose ack it never saw.
    const retried = await sendAndAck(visitor, {
      clientMessageId: first.clientMessageId!,
      body: first.body,
    });
    expect(retried).toEqual(first);
    expect(await openConversationsOf(session.visitorId)).toEqual([]);
    visitor.close();
  });

  it('answers a retried agent reply after the conversation closed with the original ack', async () => {
    const { socket: visitor, conversationId } = await startConversation(server);
    const agentSocket = await admin.readySocket();
    const reply = await sendAndAck(agentSocket, {
      conversationId,
      clientMessageId: 'reply-then-close',
      body: 'Done, closing',
    });
    await admin.request('POST', `/api/agent/conversations/${conversationId}/close`);
    const retried = await sendAndAck(agentSocket, {
      conversationId,
      clientMessageId: 'reply-then-close',
      body: 'Done, closing',
    });
    expect(retried).toEqual(reply);
    visitor.close();
    agentSocket.close();
  });

  it('reopens a closed conversation, and the visitor continues in it', async () => {
    const { socket: visitor, conversationId } = await startConversation(server);
    await admin.request('POST', `/api/agent/conversations/${conversationId}/close`);
    const reopened = await admin.request<Conversation>(
      'POST',
      `/api/agent/conversations/${conversationId}/reopen`,
    );
    expect(reopened.status).toBe(200);
    expect(reopened.body.status).toBe('open');
    const frame = await visitor.next<VisitorFrame<'conversation'>>(
      (f) => f.type === 'conversation' && f.event === 'reopened',
    );
    expect(frame.conversation).toMatchObject({ id: conversationId, status: 'open' });

    const next = await sendAndAck(visitor, { clientMessageId: 'after-reopen', body: 'Thanks!' });
    expect(next).toMatchObject({ conversationId, seq: 2 });
    visitor.close();
  });

  it('refuses to reopen a conversation while the visitor has another one open', async () => {
    const { session, socket: visitor, conversationId } = await startConversation(server);
    await admin.request('POST', `/api/agent/conversations/${conversationId}/close`);
    const newer = await sendAndAck(visitor, { clientMessageId: 'newer', body: 'New question' });

    const refused = await admin.request<ErrorBody>(
      'POST',
      `/api/agent/conversations/${conversationId}/reopen`,
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('conflict');
    expect((await openConversationsOf(session.visitorId)).map((c) => c.id)).toEqual([
      newer.conversationId,
    ]);
    visitor.close();
  });

  it('treats closing an already closed conversation as done', async () => {
    const { conversationId, socket: visitor } = await startConversation(server);
    await admin.request('POST', `/api/agent/conversations/${conversationId}/close`);
    const again = await admin.request<Conversation>(
      'POST',
      `/api/agent/conversations/${conversationId}/close`,
    );
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('closed');
    visitor.close();
  });
});
