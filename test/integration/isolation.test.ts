import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentServerFrame,
  ConversationList,
  ErrorBody,
  ProjectList,
  VisitorServerFrame,
} from '../../protocol/index.js';
import {
  AgentClient,
  readyVisitorSocket,
  sendAndAck,
  startConversation,
  startSession,
  type FrameOf,
} from '../support/clients.js';
import {
  ADMIN,
  AGENT,
  GLOBEX_AGENT,
  OTHER_PROJECT_ID,
  OTHER_SITE_ORIGIN,
  startTestServer,
  type TestServer,
} from '../support/server.js';

type VisitorError = FrameOf<VisitorServerFrame, 'error'>;
type AgentError = FrameOf<AgentServerFrame, 'error'>;

let server: TestServer;
let admin: AgentClient;
beforeAll(async () => {
  server = await startTestServer();
  admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
});
afterAll(() => server.close());

describe("a visitor and another visitor's conversation", () => {
  it('cannot read its history', async () => {
    const alice = await startConversation(server, { body: 'Alice secret' });
    const mallory = await startConversation(server);

    const from = mallory.socket.mark();
    mallory.socket.send({ type: 'history', conversationId: alice.conversationId });
    const error = await mallory.socket.next<VisitorError>((f) => f.type === 'error', { from });
    expect(error.code).toBe('not_found');
    expect(mallory.socket.all('history')).toEqual([]);
    expect(JSON.stringify(mallory.socket.frames)).not.toContain('Alice secret');
    alice.socket.close();
    mallory.socket.close();
  });

  it('cannot mark it read', async () => {
    const alice = await startConversation(server);
    const agentSocket = await admin.readySocket();
    await sendAndAck(agentSocket, {
      conversationId: alice.conversationId,
      clientMessageId: 'for-alice',
      body: 'Only for Alice',
    });
    const mallory = await startConversation(server);

    const from = mallory.socket.mark();
    mallory.socket.send({ type: 'read', conversationId: alice.conversationId, seq: 100 });
    const error = await mallory.socket.next<VisitorError>((f) => f.type === 'error', { from });
    expect(error.code).toBe('not_found');
    const aliceNow = await startSession(server.url, { visitorToken: alice.session.visitorToken });
    expect(aliceNow.body.conversation?.unread).toBe(1);
    alice.socket.close();
    mallory.socket.close();
    agentSocket.close();
  });

  it('cannot get its messages by resuming it', async () => {
    const alice = await startConversation(server, { body: 'Alice private' });
    const mallory = await startSession(server.url);
    const socket = await readyVisitorSocket(server.wsUrl, mallory.body.visitorToken, {
      resume: [{ conversationId: alice.conversationId, afterSeq: 0 }],
    });
    // The replay happens before `ready` is followed by anything else; a round trip proves it is over.
    const own = await sendAndAck(socket, { clientMessageId: 'mallory-1', body: 'Mine' });
    expect(own.conversationId).not.toBe(alice.conversationId);
    expect(socket.all('message')).toEqual([]);
    expect(JSON.stringify(socket.frames)).not.toContain('Alice private');
    alice.socket.close();
    socket.close();
  });

  it('receives none of its events', async () => {
    const alice = await startConversation(server);
    const mallory = await startConversation(server);
    const agentSocket = await admin.readySocket();

    await sendAndAck(alice.socket, { clientMessageId: 'alice-2', body: 'Alice again' });
    alice.socket.send({ type: 'typing', isTyping: true });
    agentSocket.send({ type: 'typing', conversationId: alice.conversationId, isTyping: true });
    await sendAndAck(agentSocket, {
      conversationId: alice.conversationId,
      clientMessageId: 'to-alice',
      body: 'Reply to Alice',
    });
    alice.socket.send({ type: 'read', conversationId: alice.conversationId, seq: 3 });
    await agentSocket.next((f) => f.type === 'read' && f.conversationId === alice.conversationId);
    await admin.request('POST', `/api/agent/conversations/${alice.conversationId}/close`);
    await alice.socket.next((f) => f.type === 'conversation' && f.event === 'closed');

    // Events travel in order: once Mallory gets her own reply, Alice's would have arrived too.
    const barrier = await sendAndAck(agentSocket, {
      conversationId: mallory.conversationId,
      clientMessageId: 'to-mallory',
      body: 'Reply to Mallory',
    });
    await mallory.socket.next((f) => f.type === 'message' && f.message.id === barrier.id);
    const leaked = JSON.stringify(mallory.socket.frames);
    expect(leaked).not.toContain(alice.conversationId);
    expect(leaked).not.toContain(alice.session.visitorId);
    alice.socket.close();
    mallory.socket.close();
    agentSocket.close();
  });
});

describe('an agent of another project', () => {
  let globex: AgentClient;
  beforeAll(async () => {
    globex = await AgentClient.login(server.url, GLOBEX_AGENT.email, GLOBEX_AGENT.password);
  });

  it('cannot see the conversation, its messages, or act on it over HTTP', async () => {
    const acme = await startConversation(server, { body: 'Acme only' });
    const id = acme.conversationId;
    for (const [method, path] of [
      ['GET', `/api/agent/conversations/${id}`],
      ['GET', `/api/agent/conversations/${id}/messages`],
      ['POST', `/api/agent/conversations/${id}/close`],
      ['POST', `/api/agent/conversations/${id}/reopen`],
    ] as const) {
      const answer = await globex.request<ErrorBody>(method, path);
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 404 });
      expect(answer.body.error.code).toBe('not_found');
    }
    const inbox = await globex.request<ConversationList>('GET', '/api/agent/conversations');
    expect(inbox.body.items.map((c) => c.id)).not.toContain(id);
    const filtered = await globex.request<ConversationList>(
      'GET',
      '/api/agent/conversations?projectId=acme',
    );
    expect(filtered.body.items).toEqual([]);
    const projects = await globex.request<ProjectList>('GET', '/api/agent/projects');
    expect(projects.body.items.map((p) => p.id)).toEqual([OTHER_PROJECT_ID]);
    acme.socket.close();
  });

  it('cannot reply, type, mark read or resume it over the socket', async () => {
    const acme = await startConversation(server, { body: 'Acme private' });
    const id = acme.conversationId;
    const socket = await globex.readySocket();

    socket.send({ type: 'send', conversationId: id, clientMessageId: 'intrude', body: 'Hi' });
    const refused = await socket.next<AgentError>((f) => f.type === 'error');
    expect(refused).toMatchObject({ code: 'not_found', clientMessageId: 'intrude' });
    for (const frame of [
      { type: 'typing', conversationId: id, isTyping: true },
      { type: 'read', conversationId: id, seq: 1 },
    ]) {
      const from = socket.mark();
      socket.send(frame);
      const error = await socket.next<AgentError>((f) => f.type === 'error', { from });
      expect(error.code).toBe('not_found');
    }
    socket.send({ type: 'resume', resume: [{ conversationId: id, afterSeq: 0 }] });
    // Frames are handled in order: the answer to this one means the resume is done.
    const from = socket.mark();
    socket.send({ type: 'read', conversationId: 'conv_does_not_exist', seq: 1 });
    await socket.next((f) => f.type === 'error', { from });
    expect(socket.all('message')).toEqual([]);
    expect(JSON.stringify(socket.frames)).not.toContain('Acme private');

    // Nothing reached the visitor either.
    await sendAndAck(acme.socket, { clientMessageId: 'acme-2', body: 'ping' });
    expect(acme.socket.all('typing')).toEqual([]);
    expect(acme.socket.all('message')).toEqual([]);
    acme.socket.close();
    socket.close();
  });

  it('receives no events of the project while it receives its own', async () => {
    const socket = await globex.readySocket();
    const acme = await startConversation(server, { body: 'Acme event' });
    const acmeAgent = await admin.readySocket();
    await sendAndAck(acmeAgent, {
      conversationId: acme.conversationId,
      clientMessageId: 'acme-reply',
      body: 'Acme reply',
    });
    await admin.request('POST', `/api/agent/conversations/${acme.conversationId}/close`);

    const globexVisitor = await startSession(
      server.url,
      { projectId: OTHER_PROJECT_ID },
      OTHER_SITE_ORIGIN,
    );
    const visitor = await readyVisitorSocket(server.wsUrl, globexVisitor.body.visitorToken, {
      origin: OTHER_SITE_ORIGIN,
    });
    const own = await sendAndAck(visitor, { clientMessageId: 'globex-1', body: 'Globex hello' });
    await socket.next((f) => f.type === 'message' && f.message.id === own.id);

    const seen = JSON.stringify(socket.frames);
    expect(seen).not.toContain(acme.conversationId);
    expect(seen).not.toContain(acme.session.visitorId);
    expect(seen).not.toContain('Acme');
    acme.socket.close();
    acmeAgent.close();
    visitor.close();
    socket.close();
  });

  it('works the other way round: an acme agent cannot see globex conversations', async () => {
    const sam = await AgentClient.login(server.url, AGENT.email, AGENT.password);
    const globexVisitor = await startSession(
      server.url,
      { projectId: OTHER_PROJECT_ID },
      OTHER_SITE_ORIGIN,
    );
    const visitor = await readyVisitorSocket(server.wsUrl, globexVisitor.body.visitorToken, {
      origin: OTHER_SITE_ORIGIN,
    });
    const message = await sendAndAck(visitor, { clientMessageId: 'g-1', body: 'Globex only' });
    const answer = await sam.request('GET', `/api/agent/conversations/${message.conversationId}`);
    expect(answer.status).toBe(404);
    visitor.close();
  });
});
