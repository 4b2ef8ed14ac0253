import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentServerFrame, Message, VisitorServerFrame } from '../../protocol/index.js';
import { AgentClient, startSession, visitorSocket } from '../support/clients.js';
import { ADMIN, startTestServer, type TestServer } from '../support/server.js';

type Ack = Extract<VisitorServerFrame, { type: 'ack' }>;
type AgentMessage = Extract<AgentServerFrame, { type: 'message' }>;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('a visitor and an agent chat in real time', () => {
  it('delivers a visitor message to the agent and the reply back to the visitor', async () => {
    const session = await startSession(server.url, { pageUrl: 'http://shop.test/pricing' });
    expect(session.status).toBe(201);
    expect(session.body.conversation).toBeNull();

    const agent = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
    const agentSocket = await agent.socket();
    await agentSocket.next((f) => f.type === 'ready');

    const visitor = await visitorSocket(server.wsUrl, session.body.visitorToken);
    await visitor.next((f) => f.type === 'ready');
    visitor.send({ type: 'send', clientMessageId: 'c1', body: 'Hello, I need help' });
    const ack = await visitor.next<Ack>((f) => f.type === 'ack');
    expect(ack.message).toMatchObject({
      seq: 1,
      body: 'Hello, I need help',
      clientMessageId: 'c1',
    });

    const seen = await agentSocket.next<AgentMessage>((f) => f.type === 'message');
    expect(seen.message.id).toBe(ack.message.id);

    agentSocket.send({
      type: 'send',
      conversationId: ack.message.conversationId,
      clientMessageId: 'a1',
      body: 'Hi! Happy to help.',
    });
    const reply = await visitor.next<{ type: 'message'; message: Message }>(
      (f) => f.type === 'message' && f.message.author.kind === 'agent',
    );
    expect(reply.message).toMatchObject({ seq: 2, body: 'Hi! Happy to help.' });
    expect(reply.message.author.name).toBe('Ada Admin');

    const inbox = await agent.request<{ items: Array<{ id: string; lastSeq: number }> }>(
      'GET',
      '/api/agent/conversations',
    );
    expect(inbox.body.items.map((c) => c.id)).toContain(ack.message.conversationId);
    visitor.close();
    agentSocket.close();
  });
});
