import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, type ErrorBody, type VisitorServerFrame } from '../../protocol/index.js';
import {
  AgentClient,
  FrameSocket,
  rawRequest,
  sendAndAck,
  startSession,
  visitorSocket,
  type FrameOf,
} from '../support/clients.js';
import {
  ADMIN,
  OTHER_SITE_ORIGIN,
  PUBLIC_URL,
  SITE_ORIGIN,
  startTestServer,
  type TestServer,
} from '../support/server.js';

type VisitorError = FrameOf<VisitorServerFrame, 'error'>;

let server: TestServer;
let admin: AgentClient;
beforeAll(async () => {
  server = await startTestServer({ visitorAuthTimeoutMs: 1000 });
  admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
});
afterAll(() => server.close());

describe('the widget API and the page origin', () => {
  it('refuses to start a session from a page origin the project does not allow', async () => {
    const refused = await startSession(server.url, {}, 'http://evil.test');
    expect(refused.status).toBe(403);
    const body = refused.body as unknown as ErrorBody;
    expect(body.error.code).toBe('origin_not_allowed');
    expect(body.error.message).toContain('http://evil.test');
    expect(body.error.message).toContain('Allowed origins');
  });

  it("refuses a session start without any Origin, or with another project's origin", async () => {
    expect((await startSession(server.url, {}, null)).status).toBe(403);
    expect((await startSession(server.url, {}, OTHER_SITE_ORIGIN)).status).toBe(403);
  });

  it('accepts the allowed origin whatever its letter case', async () => {
    const started = await startSession(server.url, {}, 'HTTP://Shop.Test');
    expect(started.status).toBe(201);
  });

  it('answers the CORS preflight of a JSON session start', async () => {
    const preflight = await rawRequest(server.url, '/api/widget/sessions', {
      method: 'OPTIONS',
      headers: {
        origin: SITE_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SITE_ORIGIN);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });
});

describe('the visitor socket', () => {
  it('is closed with 4403 when the page origin is not allowed for the project', async () => {
    const session = await startSession(server.url);
    const socket = await visitorSocket(server.wsUrl, session.body.visitorToken, {
      origin: 'http://evil.test',
    });
    const error = await socket.next<VisitorError>((f) => f.type === 'error');
    expect(error.code).toBe('origin_not_allowed');
    expect((await socket.closedWith()).code).toBe(CloseCode.forbiddenOrigin);
    expect(socket.all('ready')).toEqual([]);
  });

  it('is closed with 4401 for a token the server does not know', async () => {
    const socket = await visitorSocket(server.wsUrl, 'an-unknown-but-well-formed-token-123');
    const error = await socket.next<VisitorError>((f) => f.type === 'error');
    expect(error.code).toBe('unauthorized');
    expect((await socket.closedWith()).code).toBe(CloseCode.unauthorized);
  });

  it('is closed with 4401 when the first frame is not an auth frame', async () => {
    const socket = await FrameSocket.open<VisitorServerFrame>(`${server.wsUrl}/ws/visitor`, {
      origin: SITE_ORIGIN,
    });
    socket.send({ type: 'send', clientMessageId: 'sneaky', body: 'no auth' });
    expect((await socket.closedWith()).code).toBe(CloseCode.unauthorized);
    expect(socket.all('ack')).toEqual([]);
  });

  it('answers a malformed auth frame with an error and still accepts a good one', async () => {
    const session = await startSession(server.url);
    const socket = await FrameSocket.open<VisitorServerFrame>(`${server.wsUrl}/ws/visitor`, {
      origin: SITE_ORIGIN,
    });
    socket.send({ type: 'auth', token: 'short', resume: [] });
    const error = await socket.next<VisitorError>((f) => f.type === 'error');
    expect(error.code).toBe('bad_frame');
    socket.send({ type: 'auth', token: session.body.visitorToken, resume: [] });
    await socket.next((f) => f.type === 'ready');
    socket.close();
  });

  it('refuses a second auth frame on an authenticated socket', async () => {
    const session = await startSession(server.url);
    const socket = await visitorSocket(server.wsUrl, session.body.visitorToken);
    await socket.next((f) => f.type === 'ready');
    const from = socket.mark();
    socket.send({ type: 'auth', token: session.body.visitorToken, resume: [] });
    const error = await socket.next<VisitorError>((f) => f.type === 'error', { from });
    expect(error.code).toBe('bad_frame');
    await sendAndAck(socket, { clientMessageId: 'still-fine', body: 'Still works' });
    socket.close();
  });

  it('is closed with 4408 when no auth frame arrives in time', async () => {
    const socket = await FrameSocket.open<VisitorServerFrame>(`${server.wsUrl}/ws/visitor`, {
      origin: SITE_ORIGIN,
    });
    expect((await socket.closedWith()).code).toBe(CloseCode.authTimeout);
  });

  it('stays open past the auth deadline once authenticated', async () => {
    const session = await startSession(server.url);
    const socket = await visitorSocket(server.wsUrl, session.body.visitorToken);
    await socket.next((f) => f.type === 'ready');
    // A socket that timed out would be closed by now: wait for a later one to time out.
    const silent = await FrameSocket.open<VisitorServerFrame>(`${server.wsUrl}/ws/visitor`, {
      origin: SITE_ORIGIN,
    });
    await silent.closedWith();
    expect(socket.closed).toBeNull();
    await sendAndAck(socket, { clientMessageId: 'after-deadline', body: 'Still here' });
    socket.close();
  });
});

describe('the agent socket', () => {
  const agentUrl = () => `${server.wsUrl}/ws/agent`;

  it('is refused without a session cookie', async () => {
    expect(await FrameSocket.refusal(agentUrl(), { origin: server.url })).toBe(401);
  });

  it('is refused with a cookie the server does not know', async () => {
    const status = await FrameSocket.refusal(agentUrl(), {
      origin: server.url,
      headers: { cookie: 'palaver_session=forged-session-value' },
    });
    expect(status).toBe(401);
  });

  it('is refused from a foreign origin even with a valid cookie', async () => {
    const headers = { cookie: admin.cookie };
    expect(await FrameSocket.refusal(agentUrl(), { origin: SITE_ORIGIN, headers })).toBe(403);
    expect(await FrameSocket.refusal(agentUrl(), { headers })).toBe(403);
  });

  it('is accepted from the configured public URL and from the server itself', async () => {
    for (const origin of [PUBLIC_URL, server.url]) {
      const socket = await admin.socket({ origin });
      await socket.next((f) => f.type === 'ready');
      socket.close();
    }
  });

  it('stops working after sign-out', async () => {
    const agent = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
    expect((await agent.request('POST', '/api/auth/logout')).status).toBe(204);
    const status = await FrameSocket.refusal(agentUrl(), {
      origin: server.url,
      headers: { cookie: agent.cookie },
    });
    expect(status).toBe(401);
    expect((await agent.request('GET', '/api/auth/me')).status).toBe(401);
  });
});

describe('the agent API', () => {
  it('answers 401 with a clear message without a session', async () => {
    for (const path of ['/api/auth/me', '/api/agent/conversations', '/api/admin/projects']) {
      const answer = await rawRequest(server.url, path);
      expect(answer.status).toBe(401);
      expect((answer.body as ErrorBody).error.code).toBe('unauthorized');
    }
  });

  it('refuses a wrong password without saying whether the email exists', async () => {
    const login = (email: string) =>
      rawRequest(server.url, '/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'wrong-password' }),
      });
    const known = await login(ADMIN.email);
    const unknown = await login('nobody@test.local');
    expect(known.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(known.body).toEqual(unknown.body);
  });

  it('sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const response = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^palaver_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    // Served over plain http here (PUBLIC_URL is http), so not Secure.
    expect(cookie).not.toMatch(/Secure/i);
  });
});
