import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentServerFrame,
  ConversationList,
  CreatedApiKey,
  MessagePage,
} from '../../protocol/index.js';
import type { FrameSocket } from '../support/clients.js';
import { AgentClient, rawRequest, startConversation, startSession } from '../support/clients.js';
import {
  createFollowedProject,
  detailOf,
  verifiedAs,
  type IntegratedProject,
} from '../support/identity.js';
import { ADMIN, startTestServer, type TestServer } from '../support/server.js';

/** What agents see of contacts changing under an open conversation: pushes, merges, erasure. */
describe('contacts changing while agents watch', () => {
  let server: TestServer;
  let admin: AgentClient;
  let socket: FrameSocket<AgentServerFrame>;
  let project: IntegratedProject;
  let key: string;

  const api = (method: string, path: string, body?: unknown) =>
    rawRequest(server.url, `/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    server = await startTestServer();
    admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
    socket = await admin.readySocket();
    project = await createFollowedProject(admin, socket, { enabled: false });
    const created = await admin.request<CreatedApiKey>(
      'POST',
      `/api/admin/projects/${project.id}/api-keys`,
      { label: 'CRM sync', roles: ['contacts:write', 'contacts:read'] },
    );
    key = created.body.secret;
  });
  afterAll(async () => {
    socket.close();
    await server.close();
  });

  it('applies the profile claims of a verified userToken at session start', async () => {
    const userToken = await new SignJWT({
      name: 'Tina Token',
      email: 'tina@example.com',
      traits: { plan: 'starter' },
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('tina')
      .setAudience(project.id)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(project.secret));
    const { conversationId } = await startConversation(server, {
      session: { projectId: project.id, externalUserId: 'tina', userToken },
    });
    const { contact } = await detailOf(admin, conversationId);
    expect(contact?.profile).toMatchObject({
      name: 'Tina Token',
      email: 'tina@example.com',
      metadata: { plan: 'starter' },
    });
    expect(contact?.provenance.fields.name).toMatchObject({ source: 'token', detail: null });
  });

  it('shows a pushed trait change in the open conversation at once', async () => {
    const { conversationId } = await startConversation(server, {
      session: verifiedAs(project, 'alice'),
    });
    const from = socket.mark();
    const pushed = await api('PUT', '/contacts/alice', {
      name: 'Alice Martin',
      properties: { plan: 'enterprise' },
    });
    expect(pushed.status).toBe(200);
    const frame = await socket.next(
      (f) => f.type === 'profile' && f.conversationIds.includes(conversationId),
      { from },
    );
    expect(frame.type === 'profile' && frame.contact.profile?.metadata).toEqual({
      plan: 'enterprise',
    });
    expect(frame.type === 'profile' && frame.visitorLabel).toBe('Alice Martin');
    expect(frame.type === 'profile' && frame.contact.provenance.properties.plan).toMatchObject({
      source: 'push',
      detail: 'CRM sync',
    });
  });

  it('moves the other contact’s conversation under the primary when merged, live', async () => {
    const old = await startConversation(server, { session: verifiedAs(project, 'alice-old') });
    await api('PUT', '/contacts/alice-old', { phone: '+4712345678' });
    const from = socket.mark();
    const merged = await api('POST', '/contacts/alice/merge', { fromExternalId: 'alice-old' });
    expect(merged.status).toBe(200);
    await socket.next(
      (f) => f.type === 'visitor' && f.conversationIds.includes(old.conversationId),
      { from },
    );
    const { contact, visitor } = await detailOf(admin, old.conversationId);
    expect(visitor.externalUserId).toBe('alice');
    expect(contact?.profile).toMatchObject({ name: 'Alice Martin', phone: '+4712345678' });
  });

  it('erases a person: conversations stay, marked, without their messages or profile', async () => {
    const chat = await startConversation(server, {
      session: verifiedAs(project, 'erin'),
      body: 'My card is 4242, please call me',
    });
    await api('PUT', '/contacts/erin', { name: 'Erin Example' });
    const from = socket.mark();
    const erased = await api('DELETE', '/contacts/erin?eraseMessages=true');
    expect(erased.status).toBe(200);
    await socket.next(
      (f) => f.type === 'visitor' && f.conversationIds.includes(chat.conversationId),
      { from },
    );

    const detail = await detailOf(admin, chat.conversationId);
    expect(detail.visitor.erasedAt).not.toBeNull();
    expect(detail.visitor.externalUserId).toBeNull();
    expect(detail.contact).toBeNull();
    expect(detail.conversation.visitorLabel).toBe('Deleted contact');
    const messages = await admin.request<MessagePage>(
      'GET',
      `/api/agent/conversations/${chat.conversationId}/messages`,
    );
    expect(messages.body.items).toEqual([]);
    const inbox = await admin.request<ConversationList>(
      'GET',
      `/api/agent/conversations?projectId=${project.id}`,
    );
    const row = inbox.body.items.find((c) => c.id === chat.conversationId);
    expect(row?.visitorLabel).toBe('Deleted contact');
    expect(JSON.stringify(row)).not.toContain('4242');

    // The erased visitor's browser cannot resume them: it starts over as someone new.
    const resumed = await startSession(server.url, {
      projectId: project.id,
      visitorToken: chat.session.visitorToken,
    });
    expect(resumed.body.visitorId).not.toBe(chat.session.visitorId);
  });
});
