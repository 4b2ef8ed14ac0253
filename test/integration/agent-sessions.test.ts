import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../protocol/index.js';
import { SESSION_COOKIE } from '../../server/auth/index.js';
import { hashSecret, newSecret } from '../../server/ids.js';
import {
  AgentClient,
  FrameSocket,
  readyVisitorSocket,
  sendAndAck,
  startSession,
} from '../support/clients.js';
import { ADMIN, AGENT, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** A visitor writes in `acme`. */
async function visitorWrites(body: string) {
  const session = await startSession(server.url, {});
  const visitor = await readyVisitorSocket(server.wsUrl, session.body.visitorToken);
  const message = await sendAndAck(visitor, {
    clientMessageId: randomBytes(6).toString('hex'),
    body,
  });
  return { visitor, message };
}

describe('an agent socket lives only as long as the session it was opened with', () => {
  it('logging out closes that session’s sockets at once; the agent’s other sessions keep theirs', async () => {
    const laptop = await AgentClient.login(server.url, AGENT.email, AGENT.password);
    const phone = await AgentClient.login(server.url, AGENT.email, AGENT.password);
    const laptopSocket = await laptop.readySocket();
    const phoneSocket = await phone.readySocket();

    expect((await laptop.request('POST', '/api/auth/logout')).status).toBe(204);

    expect((await laptopSocket.closedWith()).code).toBe(CloseCode.unauthorized);
    const { visitor, message } = await visitorWrites('Anyone still there?');
    await phoneSocket.next((f) => f.type === 'message' && f.message.id === message.id);
    expect(phoneSocket.closed).toBeNull();
    const refused = await FrameSocket.refusal(`${server.wsUrl}/ws/agent`, {
      origin: server.url,
      headers: { cookie: laptop.cookie },
    });
    expect(refused).toBe(401);
    visitor.close();
    phoneSocket.close();
  });

  it('a socket whose session expires is closed when it expires', async () => {
    const agent = await server.services.store.agents.byEmail(ADMIN.email);
    const cookieValue = newSecret();
    const now = Date.now();
    await server.services.store.agents.createSession({
      idHash: hashSecret(cookieValue),
      agentId: agent!.id,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 1500).toISOString(),
    });
    const socket = await FrameSocket.open(`${server.wsUrl}/ws/agent`, {
      origin: server.url,
      headers: { cookie: `${SESSION_COOKIE}=${cookieValue}` },
    });
    await socket.next((f) => f.type === 'ready');

    const closed = await socket.closedWith();
    expect(closed.code).toBe(CloseCode.unauthorized);
    expect(Date.now()).toBeGreaterThanOrEqual(now + 1500);
  });
});
