import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloseCode,
  DEFAULT_WIDGET_OPTIONS,
  type Agent,
  type AgentList,
  type ErrorBody,
  type Project,
  type ProjectList,
} from '../../protocol/index.js';
import {
  AgentClient,
  FrameSocket,
  rawRequest,
  readyVisitorSocket,
  sendAndAck,
  startConversation,
  startSession,
} from '../support/clients.js';
import { ADMIN, AGENT, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: AgentClient;
beforeAll(async () => {
  server = await startTestServer();
  admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
});
afterAll(() => server.close());

let agentCount = 0;
async function createAgent(
  input: Partial<{ role: 'admin' | 'agent'; projectIds: string[] }> = {},
): Promise<{ agent: Agent; email: string; password: string }> {
  agentCount += 1;
  const email = `agent${agentCount}@test.local`;
  const password = `password-of-agent-${agentCount}`;
  const created = await admin.request<Agent>('POST', '/api/admin/agents', {
    email,
    name: `Agent ${agentCount}`,
    password,
    role: input.role ?? 'agent',
    projectIds: input.projectIds ?? ['acme'],
  });
  expect(created.status).toBe(201);
  return { agent: created.body, email, password };
}

describe('project administration', () => {
  it('creates a project whose widget works from its allowed origins with its options', async () => {
    const created = await admin.request<Project>('POST', '/api/admin/projects', {
      id: 'initech',
      name: 'Initech',
      allowedOrigins: ['https://WWW.Initech.test', 'https://app.initech.test:8443'],
      widget: { color: '#ff6600', position: 'left', greeting: 'Hello from Initech' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'initech',
      name: 'Initech',
      allowedOrigins: ['https://www.initech.test', 'https://app.initech.test:8443'],
      widget: {
        color: '#ff6600',
        position: 'left',
        greeting: 'Hello from Initech',
        zIndex: DEFAULT_WIDGET_OPTIONS.zIndex,
      },
    });

    const started = await startSession(
      server.url,
      { projectId: 'initech' },
      'https://app.initech.test:8443',
    );
    expect(started.status).toBe(201);
    expect(started.body.project).toEqual({
      id: 'initech',
      name: 'Initech',
      widget: created.body.widget,
    });
    expect((await startSession(server.url, { projectId: 'initech' })).status).toBe(403);

    const list = await admin.request<ProjectList>('GET', '/api/admin/projects');
    expect(list.body.items.map((p) => p.id)).toContain('initech');
  });

  it('changes allowed origins and widget options, which the widget sees at once', async () => {
    await admin.request('POST', '/api/admin/projects', {
      id: 'hooli',
      name: 'Hooli',
      allowedOrigins: ['https://hooli.test'],
    });
    const updated = await admin.request<Project>('PATCH', '/api/admin/projects/hooli', {
      allowedOrigins: ['https://new.hooli.test'],
      widget: { zIndex: 10 },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.widget).toEqual({ ...DEFAULT_WIDGET_OPTIONS, zIndex: 10 });

    expect(
      (await startSession(server.url, { projectId: 'hooli' }, 'https://hooli.test')).status,
    ).toBe(403);
    const started = await startSession(
      server.url,
      { projectId: 'hooli' },
      'https://new.hooli.test',
    );
    expect(started.status).toBe(201);
    expect(started.body.project.widget.zIndex).toBe(10);
  });

  it('shows a live admin socket the conversations of a project created after it connected, without dropping it', async () => {
    const socket = await admin.readySocket();
    const other = await (
      await AgentClient.login(server.url, ADMIN.email, ADMIN.password)
    ).readySocket();
    await admin.request('POST', '/api/admin/projects', {
      id: 'vandelay',
      name: 'Vandelay',
      allowedOrigins: ['https://vandelay.test'],
    });
    // Every open socket of every admin follows the new access in place.
    for (const s of [socket, other]) {
      await s.next((f) => f.type === 'access');
    }
    const again = socket;

    const session = await startSession(
      server.url,
      { projectId: 'vandelay' },
      'https://vandelay.test',
    );
    const visitor = await readyVisitorSocket(server.wsUrl, session.body.visitorToken, {
      origin: 'https://vandelay.test',
    });
    const message = await sendAndAck(visitor, { clientMessageId: 'v-1', body: 'Latex please' });
    await again.next((f) => f.type === 'message' && f.message.id === message.id);
    visitor.close();
    again.close();
  });
});

describe('agent administration', () => {
  it('creates an agent who can sign in and sees only their projects', async () => {
    const { agent, email, password } = await createAgent({ projectIds: ['globex'] });
    expect(agent).toMatchObject({ role: 'agent', active: true, projectIds: ['globex'] });
    const client = await AgentClient.login(server.url, email, password);
    expect(client.session.agent.id).toBe(agent.id);
    const projects = await client.request<ProjectList>('GET', '/api/agent/projects');
    expect(projects.body.items.map((p) => p.id)).toEqual(['globex']);

    const list = await admin.request<AgentList>('GET', '/api/admin/agents');
    expect(list.body.items.find((a) => a.id === agent.id)).toEqual(agent);
    expect(JSON.stringify(list.body)).not.toContain(password);
    expect(JSON.stringify(list.body)).not.toMatch(/passwordHash|argon2/);
  });

  it('gives a new admin the admin routes', async () => {
    const { email, password } = await createAgent({ role: 'admin', projectIds: [] });
    const client = await AgentClient.login(server.url, email, password);
    expect((await client.request('GET', '/api/admin/agents')).status).toBe(200);
  });

  it('changes membership, and the agent sees the new project', async () => {
    const { agent, email, password } = await createAgent({ projectIds: ['acme'] });
    const client = await AgentClient.login(server.url, email, password);
    const updated = await admin.request<Agent>('PATCH', `/api/admin/agents/${agent.id}`, {
      projectIds: ['globex'],
    });
    expect(updated.body.projectIds).toEqual(['globex']);
    const projects = await client.request<ProjectList>('GET', '/api/agent/projects');
    expect(projects.body.items.map((p) => p.id)).toEqual(['globex']);
  });

  it('stops events of a project reaching an agent removed from it', async () => {
    const { agent, email, password } = await createAgent({ projectIds: ['acme'] });
    const client = await AgentClient.login(server.url, email, password);
    const socket = await client.readySocket();
    await admin.request('PATCH', `/api/admin/agents/${agent.id}`, { projectIds: ['globex'] });
    const access = await socket.next((f) => f.type === 'access');
    expect(access).toMatchObject({ agent: { projectIds: ['globex'] } });

    const again = socket;
    const chat = await startConversation(server, { body: 'Acme secret' });
    const adminSocket = await admin.readySocket();
    const reply = await sendAndAck(adminSocket, {
      conversationId: chat.conversationId,
      clientMessageId: 'removed-barrier',
      body: 'Barrier',
    });
    await chat.socket.next((f) => f.type === 'message' && f.message.id === reply.id);
    expect(JSON.stringify(again.frames)).not.toContain(chat.conversationId);
    chat.socket.close();
    adminSocket.close();
    again.close();
  });

  it('deactivates an agent: sessions, sockets and sign-in stop working', async () => {
    const { agent, email, password } = await createAgent();
    const client = await AgentClient.login(server.url, email, password);
    const socket = await client.readySocket();

    const updated = await admin.request<Agent>('PATCH', `/api/admin/agents/${agent.id}`, {
      active: false,
    });
    expect(updated.body.active).toBe(false);

    expect((await socket.closedWith()).code).toBe(CloseCode.unauthorized);
    expect((await client.request('GET', '/api/agent/conversations')).status).toBe(401);
    const refused = await FrameSocket.refusal(`${server.wsUrl}/ws/agent`, {
      origin: server.url,
      headers: { cookie: client.cookie },
    });
    expect(refused).toBe(401);
    await expect(AgentClient.login(server.url, email, password)).rejects.toThrow(/401/);

    await admin.request('PATCH', `/api/admin/agents/${agent.id}`, { active: true });
    await AgentClient.login(server.url, email, password);
  });

  it('signs an agent out everywhere when an admin sets a new password', async () => {
    const { agent, email, password } = await createAgent();
    const client = await AgentClient.login(server.url, email, password);
    const socket = await client.readySocket();
    await admin.request('PATCH', `/api/admin/agents/${agent.id}`, {
      password: 'a-brand-new-password',
    });
    expect((await socket.closedWith()).code).toBe(CloseCode.unauthorized);
    expect((await client.request('GET', '/api/auth/me')).status).toBe(401);
    await AgentClient.login(server.url, email, 'a-brand-new-password');
  });

  it('does not let an admin deactivate or demote themselves', async () => {
    const self = admin.session.agent.id;
    for (const patch of [{ active: false }, { role: 'agent' }]) {
      const refused = await admin.request<ErrorBody>('PATCH', `/api/admin/agents/${self}`, patch);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/another admin/);
    }
    expect((await admin.request('GET', '/api/auth/me')).status).toBe(200);
  });
});

describe('admin routes for agents who are not admins', () => {
  it('answer 403 forbidden for every admin route', async () => {
    const sam = await AgentClient.login(server.url, AGENT.email, AGENT.password);
    for (const [method, path, body] of [
      ['GET', '/api/admin/projects', undefined],
      ['POST', '/api/admin/projects', { name: 'Mine', allowedOrigins: [] }],
      ['PATCH', '/api/admin/projects/acme', { name: 'Mine now' }],
      ['GET', '/api/admin/agents', undefined],
      [
        'POST',
        '/api/admin/agents',
        {
          email: 'x@test.local',
          name: 'X',
          password: 'long-password-1',
          role: 'admin',
          projectIds: [],
        },
      ],
      ['PATCH', `/api/admin/agents/${sam.session.agent.id}`, { role: 'admin' }],
    ] as const) {
      const answer = await sam.request<ErrorBody>(method, path, body);
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 403 });
      expect(answer.body.error.code).toBe('forbidden');
    }
    const me = await sam.request<{ agent: Agent }>('GET', '/api/auth/me');
    expect(me.body.agent.role).toBe('agent');
    const acme = await rawRequest(server.url, '/api/widget/sessions', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'http://shop.test' },
      body: JSON.stringify({ projectId: 'acme' }),
    });
    expect((acme.body as { project: { name: string } }).project.name).toBe('Acme');
  });
});
