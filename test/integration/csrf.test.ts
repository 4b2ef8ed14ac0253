import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, ErrorBody, Project } from '../../protocol/index.js';
import { AgentClient, rawRequest, startConversation } from '../support/clients.js';
import { ADMIN, AGENT, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: AgentClient;
let sam: AgentClient;
beforeAll(async () => {
  server = await startTestServer();
  admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
  sam = await AgentClient.login(server.url, AGENT.email, AGENT.password);
});
afterAll(() => server.close());

function expectCsrfFailure(answer: { status: number; body: unknown }): void {
  expect(answer.status).toBe(403);
  expect((answer.body as ErrorBody).error.code).toBe('csrf_failed');
}

describe('CSRF protection of state-changing requests', () => {
  it('refuses to close a conversation without the token, and closes it with the token', async () => {
    const { conversationId, socket } = await startConversation(server);
    const path = `/api/agent/conversations/${conversationId}/close`;
    expectCsrfFailure(await admin.send('POST', path, { csrfToken: null }));
    expectCsrfFailure(await admin.send('POST', path, { csrfToken: 'not-the-token' }));
    expectCsrfFailure(await admin.send('POST', path, { csrfToken: sam.session.csrfToken }));
    expect(socket.all('conversation').filter((f) => f.event === 'closed')).toEqual([]);

    const closed = await admin.send<{ status: string }>('POST', path);
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    socket.close();
  });

  it('refuses to reopen a conversation without the token', async () => {
    const { conversationId, socket } = await startConversation(server);
    await admin.request('POST', `/api/agent/conversations/${conversationId}/close`);
    const path = `/api/agent/conversations/${conversationId}/reopen`;
    expectCsrfFailure(await sam.send('POST', path, { csrfToken: null }));
    expect((await sam.send('POST', path)).status).toBe(200);
    socket.close();
  });

  it('refuses to create a project without the token, and creates it with the token', async () => {
    const body = JSON.stringify({ id: 'csrf-shop', name: 'CSRF Shop', allowedOrigins: [] });
    expectCsrfFailure(await admin.send('POST', '/api/admin/projects', { body, csrfToken: null }));
    const projects = await admin.request<{ items: Project[] }>('GET', '/api/admin/projects');
    expect(projects.body.items.map((p) => p.id)).not.toContain('csrf-shop');

    const created = await admin.send<Project>('POST', '/api/admin/projects', { body });
    expect(created.status).toBe(201);
    expect(created.body.id).toBe('csrf-shop');
  });

  it('refuses to change a project or an agent without the token', async () => {
    expectCsrfFailure(
      await admin.send('PATCH', '/api/admin/projects/acme', {
        body: JSON.stringify({ name: 'Hijacked' }),
        csrfToken: null,
      }),
    );
    expectCsrfFailure(
      await admin.send('PATCH', `/api/admin/agents/${sam.session.agent.id}`, {
        body: JSON.stringify({ role: 'admin' }),
        csrfToken: null,
      }),
    );
    expectCsrfFailure(
      await admin.send('POST', '/api/admin/agents', {
        body: JSON.stringify({
          email: 'eve@test.local',
          name: 'Eve',
          password: 'eve-password-1',
          role: 'admin',
          projectIds: [],
        }),
        csrfToken: null,
      }),
    );
    const agents = await admin.request<{ items: Agent[] }>('GET', '/api/admin/agents');
    expect(agents.body.items.find((a) => a.id === sam.session.agent.id)?.role).toBe('agent');
    expect(agents.body.items.map((a) => a.email)).not.toContain('eve@test.local');
    const project = await admin.request<{ items: Project[] }>('GET', '/api/admin/projects');
    expect(project.body.items.find((p) => p.id === 'acme')?.name).toBe('Acme');
  });

  it('refuses to sign out without the token (the session keeps working)', async () => {
    const agent = await AgentClient.login(server.url, AGENT.email, AGENT.password);
    expectCsrfFailure(await agent.send('POST', '/api/auth/logout', { csrfToken: null }));
    expect((await agent.request('GET', '/api/auth/me')).status).toBe(200);
    expect((await agent.send('POST', '/api/auth/logout')).status).toBe(204);
    expect((await agent.request('GET', '/api/auth/me')).status).toBe(401);
  });

  it('lets reads through without the token', async () => {
    for (const path of ['/api/auth/me', '/api/agent/conversations', '/api/admin/projects']) {
      expect((await admin.send('GET', path, { csrfToken: null })).status).toBe(200);
    }
  });

  it('gives each session its own token', async () => {
    const again = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
    expect(again.session.csrfToken).not.toBe(admin.session.csrfToken);
    const me = await admin.request<{ csrfToken: string }>('GET', '/api/auth/me');
    expect(me.body.csrfToken).toBe(admin.session.csrfToken);
  });
});

describe('sign-in rate limiting', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ loginRateLimit: 3 });
  });
  afterAll(() => limited.close());

  const login = (password: string) =>
    rawRequest(limited.url, '/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN.email, password }),
    });

  it('does not count successful sign-ins', async () => {
    for (let i = 0; i < 5; i++) expect((await login(ADMIN.password)).status).toBe(200);
  });

  it('answers 429 after the configured number of failed attempts, even with the right password', async () => {
    for (let i = 0; i < 3; i++) expect((await login('wrong-password')).status).toBe(401);
    const blocked = await login('wrong-password');
    expect(blocked.status).toBe(429);
    expect((blocked.body as ErrorBody).error.code).toBe('rate_limited');
    expect((blocked.body as ErrorBody).error.message).toMatch(/wait/i);
    expect((await login(ADMIN.password)).status).toBe(429);
  });
});
