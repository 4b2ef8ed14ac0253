import { afterEach, describe, expect, it, vi } from 'vitest';
import { CloseCode, type VisitorServerFrame } from '../../protocol/index.js';
import { openSqliteStore } from '../../server/store/index.js';
import { AgentClient, rawRequest, startConversation, type FrameOf } from '../support/clients.js';
import { ADMIN, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('health endpoints', () => {
  it('reports the process alive and ready when the database answers', async () => {
    server = await startTestServer();
    const health = await rawRequest(server.url, '/healthz');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await rawRequest(server.url, '/readyz');
    expect(ready).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { database: 'ok' } },
    });
  });

  it('reports not ready, but still alive, when the database stops answering', async () => {
    server = await startTestServer();
    const ping = vi
      .spyOn(server.services.store, 'ping')
      .mockRejectedValue(new Error('database is locked'));
    const ready = await rawRequest(server.url, '/readyz');
    expect(ready).toMatchObject({
      status: 503,
      body: { status: 'unavailable', checks: { database: 'failing' } },
    });
    expect(JSON.stringify(ready.body)).not.toContain('locked');
    expect((await rawRequest(server.url, '/healthz')).status).toBe(200);
    ping.mockRestore();
    expect((await rawRequest(server.url, '/readyz')).status).toBe(200);
  });
});

describe('graceful shutdown', () => {
  it('finishes the message being written, acks it, then closes every socket with 1012', async () => {
    const running = await startTestServer();
    server = running;
    const admin = await AgentClient.login(running.url, ADMIN.email, ADMIN.password);
    const agentSocket = await admin.readySocket();
    const { socket: visitor, conversationId } = await startConversation(running);

    // Shutdown starts exactly while the next message is being written.
    const store = running.services.store;
    const append = store.conversations.append.bind(store.conversations);
    let shutdown: Promise<void> | undefined;
    vi.spyOn(store.conversations, 'append').mockImplementationOnce((message) => {
      shutdown = running.palaver.close();
      return append(message);
    });

    visitor.send({ type: 'send', clientMessageId: 'in-flight', body: 'Sent as the server stops' });
    const ack = await visitor.next<FrameOf<VisitorServerFrame, 'ack'>>(
      (f) => f.type === 'ack' && f.clientMessageId === 'in-flight',
    );
    expect(ack.message.seq).toBe(2);
    expect((await visitor.closedWith()).code).toBe(CloseCode.restart);
    expect((await agentSocket.closedWith()).code).toBe(CloseCode.restart);
    expect(shutdown).toBeDefined();
    await shutdown;
    // No new connections once stopped.
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();

    const reopened = await openSqliteStore(running.dbFile);
    try {
      const stored = await reopened.conversations.messagesAfter(conversationId, 0, 10);
      expect(stored.map((m) => m.body)).toEqual(['Hello, I need help', 'Sent as the server stops']);
      expect(stored[1]).toEqual(ack.message);
    } finally {
      await reopened.close();
    }
  });

  it('can be asked to stop twice without failing', async () => {
    const running = await startTestServer();
    server = running;
    await Promise.all([running.palaver.close(), running.palaver.close()]);
    await running.palaver.close();
  });
});
