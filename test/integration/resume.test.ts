import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentServerFrame, Message, VisitorServerFrame } from '../../protocol/index.js';
import {
  AgentClient,
  readyVisitorSocket,
  sendAndAck,
  startConversation,
  visitorSocket,
  type FrameOf,
  type FrameSocket,
} from '../support/clients.js';
import { ADMIN, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: AgentClient;
beforeAll(async () => {
  server = await startTestServer();
  admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
});
afterAll(() => server.close());

function messagesIn<F extends { type: string }>(
  socket: FrameSocket<F>,
  conversationId: string,
): Message[] {
  return socket.frames
    .filter((f): f is F & { type: 'message'; message: Message } => f.type === 'message')
    .map((f) => f.message)
    .filter((m) => m.conversationId === conversationId);
}

describe('a visitor who reconnects', () => {
  it('receives exactly the messages it missed, in order, after ready', async () => {
    const { session, socket, conversationId, first } = await startConversation(server);
    socket.close();
    await socket.closedWith();

    const agentSocket = await admin.readySocket();
    const missed: Message[] = [];
    for (const n of [1, 2, 3]) {
      missed.push(
        await sendAndAck(agentSocket, {
          conversationId,
          clientMessageId: `missed-${n}`,
          body: `While you were away ${n}`,
        }),
      );
    }

    const back = await visitorSocket(server.wsUrl, session.visitorToken, {
      resume: [{ conversationId, afterSeq: first.seq }],
    });
    await back.many(3, (f) => f.type === 'message');
    expect(back.frames[0]?.type).toBe('ready');
    expect(messagesIn(back, conversationId)).toEqual(missed);

    // Live messages continue after the replay, and nothing arrives twice.
    const live = await sendAndAck(agentSocket, {
      conversationId,
      clientMessageId: 'live-after-resume',
      body: 'Still there?',
    });
    await back.next((f) => f.type === 'message' && f.message.id === live.id);
    expect(messagesIn(back, conversationId).map((m) => m.seq)).toEqual([2, 3, 4, 5]);
    back.close();
    agentSocket.close();
  });

  it('receives nothing again when it had already seen everything', async () => {
    const { session, socket, conversationId } = await startConversation(server);
    const agentSocket = await admin.readySocket();
    const reply = await sendAndAck(agentSocket, {
      conversationId,
      clientMessageId: 'seen-reply',
      body: 'Seen it',
    });
    await socket.next((f) => f.type === 'message' && f.message.id === reply.id);
    socket.close();

    const back = await readyVisitorSocket(server.wsUrl, session.visitorToken, {
      resume: [{ conversationId, afterSeq: reply.seq }],
    });
    const barrier = await sendAndAck(agentSocket, {
      conversationId,
      clientMessageId: 'seen-barrier',
      body: 'New',
    });
    await back.next((f) => f.type === 'message' && f.message.id === barrier.id);
    expect(messagesIn(back, conversationId).map((m) => m.seq)).toEqual([barrier.seq]);
    back.close();
    agentSocket.close();
  });

  it('learns the open conversation and its unread count from the ready frame', async () => {
    const { session, socket, conversationId } = await startConversation(server);
    socket.close();
    const agentSocket = await admin.readySocket();
    await sendAndAck(agentSocket, { conversationId, clientMessageId: 'ready-1', body: 'Hi' });
    await sendAndAck(agentSocket, { conversationId, clientMessageId: 'ready-2', body: 'Hello?' });

    const back = await visitorSocket(server.wsUrl, session.visitorToken);
    const ready = await back.next<FrameOf<VisitorServerFrame, 'ready'>>((f) => f.type === 'ready');
    expect(ready).toMatchObject({
      visitorId: session.visitorId,
      conversation: { id: conversationId, status: 'open', lastSeq: 3, unread: 2 },
      agentsOnline: 1,
    });
    back.close();
    agentSocket.close();
  });

  it('gets the rest of a long history in pages on request', async () => {
    const { socket, conversationId } = await startConversation(server);
    for (let i = 2; i <= 7; i++) {
      await sendAndAck(socket, { clientMessageId: `page-${i}`, body: `Line ${i}` });
    }
    socket.send({ type: 'history', conversationId, limit: 3 });
    const latest = await socket.next<FrameOf<VisitorServerFrame, 'history'>>(
      (f) => f.type === 'history',
    );
    expect(latest.messages.map((m) => m.seq)).toEqual([5, 6, 7]);
    expect(latest.hasMore).toBe(true);

    const from = socket.mark();
    socket.send({ type: 'history', conversationId, beforeSeq: 5, limit: 10 });
    const older = await socket.next<FrameOf<VisitorServerFrame, 'history'>>(
      (f) => f.type === 'history',
      { from },
    );
    expect(older.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(older.hasMore).toBe(false);
    socket.close();
  });
});

describe('an agent who reconnects', () => {
  it('receives exactly the messages it missed, in order', async () => {
    const { socket: visitor, conversationId, first } = await startConversation(server);
    const agentSocket = await admin.readySocket();
    agentSocket.close();
    await agentSocket.closedWith();

    const missed: Message[] = [];
    for (const n of [1, 2, 3]) {
      missed.push(
        await sendAndAck(visitor, { clientMessageId: `agent-missed-${n}`, body: `Hello ${n}` }),
      );
    }

    const back = await admin.readySocket();
    back.send({ type: 'resume', resume: [{ conversationId, afterSeq: first.seq }] });
    await back.many(3, (f) => f.type === 'message');
    expect(messagesIn(back, conversationId)).toEqual(missed);

    const live = await sendAndAck(visitor, { clientMessageId: 'agent-live', body: 'Still here' });
    await back.next((f) => f.type === 'message' && f.message.id === live.id);
    expect(messagesIn(back, conversationId).map((m) => m.seq)).toEqual([2, 3, 4, 5]);
    visitor.close();
    back.close();
  });

  it('resumes several conversations at once, each from its own point', async () => {
    const a = await startConversation(server);
    const b = await startConversation(server);
    await sendAndAck(a.socket, { clientMessageId: 'multi-a2', body: 'A two' });
    await sendAndAck(b.socket, { clientMessageId: 'multi-b2', body: 'B two' });
    await sendAndAck(b.socket, { clientMessageId: 'multi-b3', body: 'B three' });

    const agentSocket = await admin.readySocket();
    agentSocket.send({
      type: 'resume',
      resume: [
        { conversationId: a.conversationId, afterSeq: 1 },
        { conversationId: b.conversationId, afterSeq: 0 },
      ],
    });
    await agentSocket.many(4, (f) => f.type === 'message');
    expect(messagesIn(agentSocket, a.conversationId).map((m) => m.body)).toEqual(['A two']);
    expect(messagesIn(agentSocket, b.conversationId).map((m) => m.body)).toEqual([
      'Hello, I need help',
      'B two',
      'B three',
    ]);
    a.socket.close();
    b.socket.close();
    agentSocket.close();
  });

  it('is told which agents are online when it connects', async () => {
    const first = await admin.readySocket();
    const second = await admin.socket();
    const ready = await second.next<FrameOf<AgentServerFrame, 'ready'>>((f) => f.type === 'ready');
    expect(ready.online).toContainEqual({ agentId: admin.session.agent.id, name: 'Ada Admin' });
    first.close();
    second.close();
  });
});
