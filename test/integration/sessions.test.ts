import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ConversationDetail,
  ErrorBody,
  IntegrationSettings,
  RotateSecretResponse,
} from '../../protocol/index.js';
import { userHashFor } from '../../server/identity/index.js';
import {
  AgentClient,
  readyVisitorSocket,
  sendAndAck,
  startConversation,
  startSession,
} from '../support/clients.js';
import {
  ADMIN,
  OTHER_PROJECT_ID,
  OTHER_SITE_ORIGIN,
  PROJECT_ID,
  startTestServer,
  type TestServer,
} from '../support/server.js';

let server: TestServer;
let admin: AgentClient;
/** The project's identity secret, as the site's backend would hold it to sign its users' ids. */
let secret: string;
beforeAll(async () => {
  server = await startTestServer();
  admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
  const rotated = await admin.request<RotateSecretResponse>(
    'POST',
    `/api/admin/projects/${PROJECT_ID}/identity-secret`,
    { graceHours: 0 },
  );
  secret = rotated.body.secret;
});
afterAll(() => server.close());

const FIREFOX_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

function detail(conversationId: string) {
  return admin.request<ConversationDetail>('GET', `/api/agent/conversations/${conversationId}`);
}

describe('a visitor session', () => {
  it('is created on first visit with a token, the project and no conversation yet', async () => {
    const started = await startSession(server.url);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      visitorId: expect.stringMatching(/.+/),
      identity: 'anonymous',
      project: { id: PROJECT_ID, name: 'Acme' },
      conversation: null,
    });
    expect(started.body.visitorToken.length).toBeGreaterThanOrEqual(20);
    expect(started.headers.get('access-control-allow-origin')).toBe('http://shop.test');
  });

  it('is resumed with its token: same visitor, same token, and the open conversation', async () => {
    const { session, socket, conversationId } = await startConversation(server);
    socket.close();

    const resumed = await startSession(server.url, { visitorToken: session.visitorToken });
    expect(resumed.status).toBe(200);
    expect(resumed.body.visitorId).toBe(session.visitorId);
    expect(resumed.body.visitorToken).toBe(session.visitorToken);
    expect(resumed.body.conversation).toMatchObject({
      id: conversationId,
      status: 'open',
      lastSeq: 1,
      unread: 0,
    });
  });

  it('records the page, referrer, browser and locale for the agent to see', async () => {
    const started = await fetch(`${server.url}/api/widget/sessions`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain;charset=UTF-8',
        origin: 'http://shop.test',
        'user-agent': FIREFOX_UA,
      },
      body: JSON.stringify({
        projectId: PROJECT_ID,
        pageUrl: 'http://shop.test/checkout?step=2',
        referrer: 'https://search.example/?q=acme',
        locale: 'fr-CH',
      }),
    });
    expect(started.status).toBe(201);
    const session = (await started.json()) as { visitorToken: string; visitorId: string };
    const socket = await readyVisitorSocket(server.wsUrl, session.visitorToken);
    const first = await sendAndAck(socket, {
      clientMessageId: 'rec-1',
      body: 'Where is my order?',
    });
    socket.close();

    const seen = await detail(first.conversationId);
    expect(seen.status).toBe(200);
    expect(seen.body.visitor).toMatchObject({
      id: session.visitorId,
      pageUrl: 'http://shop.test/checkout?step=2',
      referrer: 'https://search.example/?q=acme',
      userAgent: FIREFOX_UA,
      browser: 'Firefox 133 on Windows 10',
      locale: 'fr-CH',
      externalUserId: null,
      identity: 'anonymous',
    });
  });

  it('updates the page the agent sees when the visitor moves on and tells agents live', async () => {
    const { session, socket, conversationId } = await startConversation(server, {
      session: { pageUrl: 'http://shop.test/' },
    });
    socket.close();
    const agentSocket = await admin.readySocket();

    await startSession(server.url, {
      visitorToken: session.visitorToken,
      pageUrl: 'http://shop.test/returns',
    });
    const update = await agentSocket.next((f) => f.type === 'visitor');
    expect(update).toEqual({
      type: 'visitor',
      visitorId: session.visitorId,
      conversationIds: [conversationId],
    });
    expect((await detail(conversationId)).body.visitor.pageUrl).toBe('http://shop.test/returns');
    agentSocket.close();
  });

  it('answers 404 for a project that does not exist', async () => {
    const started = await startSession(server.url, { projectId: 'no-such-project' });
    expect(started.status).toBe(404);
    expect((started.body as unknown as ErrorBody).error.code).toBe('not_found');
  });

  it('does not carry a token from one project over to another', async () => {
    const { session, socket, conversationId } = await startConversation(server);
    socket.close();

    const elsewhere = await startSession(
      server.url,
      { projectId: OTHER_PROJECT_ID, visitorToken: session.visitorToken },
      OTHER_SITE_ORIGIN,
    );
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body.visitorId).not.toBe(session.visitorId);
    expect(elsewhere.body.visitorToken).not.toBe(session.visitorToken);
    expect(elsewhere.body.conversation).toBeNull();

    // The original token still belongs to its own project.
    const back = await startSession(server.url, { visitorToken: session.visitorToken });
    expect(back.status).toBe(200);
    expect(back.body.conversation?.id).toBe(conversationId);
  });

  it('stores a verified external user id and shows it to agents', async () => {
    const { session, socket, conversationId } = await startConversation(server, {
      session: { externalUserId: 'user-41', userHash: userHashFor('user-41', secret) },
    });
    socket.close();
    expect(session.identity).toBe('verified');
    expect(session.notice).toBeNull();

    const seen = await detail(conversationId);
    expect(seen.body.visitor).toMatchObject({ externalUserId: 'user-41', identity: 'verified' });
    expect(seen.body.conversation).toMatchObject({
      externalUserId: 'user-41',
      identity: 'verified',
      visitorLabel: 'user-41',
    });
  });

  it('keeps the conversation when an anonymous visitor signs in', async () => {
    const { session, socket, conversationId } = await startConversation(server);
    socket.close();

    const signedIn = await startSession(server.url, {
      visitorToken: session.visitorToken,
      externalUserId: 'user-77',
      userHash: userHashFor('user-77', secret),
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ visitorId: session.visitorId, identity: 'verified' });
    expect(signedIn.body.conversation?.id).toBe(conversationId);
    expect((await detail(conversationId)).body.visitor).toMatchObject({
      externalUserId: 'user-77',
      identity: 'verified',
    });
  });

  it('gives a different signed-in user on the same browser a fresh visitor', async () => {
    const { session, socket } = await startConversation(server, {
      session: { externalUserId: 'alice', userHash: userHashFor('alice', secret) },
    });
    socket.close();

    const bob = await startSession(server.url, {
      visitorToken: session.visitorToken,
      externalUserId: 'bob',
      userHash: userHashFor('bob', secret),
    });
    expect(bob.status).toBe(201);
    expect(bob.body.visitorId).not.toBe(session.visitorId);
    expect(bob.body.conversation).toBeNull();

    const signedOut = await startSession(server.url, { visitorToken: session.visitorToken });
    expect(signedOut.status).toBe(201);
    expect(signedOut.body.visitorId).not.toBe(session.visitorId);
    expect(signedOut.body.conversation).toBeNull();
  });

  it('ignores an unproven external user id by default: the visitor is anonymous and told why', async () => {
    const { session, socket, conversationId } = await startConversation(server, {
      session: { externalUserId: 'user-43' },
    });
    socket.close();
    expect(session.identity).toBe('anonymous');
    expect(session.notice).toMatch(/user-43.*without a userToken or userHash/);
    expect((await detail(conversationId)).body.visitor).toMatchObject({
      externalUserId: null,
      identity: 'anonymous',
    });
  });

  describe('when the project accepts claimed (unverified) ids', () => {
    beforeAll(async () => {
      const off = await admin.request<IntegrationSettings>(
        'PATCH',
        `/api/admin/projects/${PROJECT_ID}/integration`,
        { requireVerified: false },
      );
      expect(off.body.requireVerified).toBe(false);
    });
    afterAll(async () => {
      await admin.request('PATCH', `/api/admin/projects/${PROJECT_ID}/integration`, {
        requireVerified: true,
      });
    });

    it('stores an external user id as claimed and shows it to agents', async () => {
      const { session, socket, conversationId } = await startConversation(server, {
        session: { externalUserId: 'user-42' },
      });
      socket.close();
      expect(session.identity).toBe('claimed');
      expect(session.notice).toMatch(/claim/);

      const seen = await detail(conversationId);
      expect(seen.body.visitor).toMatchObject({ externalUserId: 'user-42', identity: 'claimed' });
      expect(seen.body.conversation).toMatchObject({
        externalUserId: 'user-42',
        identity: 'claimed',
        visitorLabel: 'user-42',
      });
    });

    it('keeps the conversation when an anonymous visitor signs in', async () => {
      const { session, socket, conversationId } = await startConversation(server);
      socket.close();

      const signedIn = await startSession(server.url, {
        visitorToken: session.visitorToken,
        externalUserId: 'user-78',
      });
      expect(signedIn.status).toBe(200);
      expect(signedIn.body).toMatchObject({ visitorId: session.visitorId, identity: 'claimed' });
      expect(signedIn.body.conversation?.id).toBe(conversationId);
      expect((await detail(conversationId)).body.visitor.externalUserId).toBe('user-78');
    });

    it('gives a different signed-in user on the same browser a fresh visitor', async () => {
      const { session, socket } = await startConversation(server, {
        session: { externalUserId: 'carol' },
      });
      socket.close();

      const dave = await startSession(server.url, {
        visitorToken: session.visitorToken,
        externalUserId: 'dave',
      });
      expect(dave.status).toBe(201);
      expect(dave.body.visitorId).not.toBe(session.visitorId);
      expect(dave.body.conversation).toBeNull();

      const signedOut = await startSession(server.url, { visitorToken: session.visitorToken });
      expect(signedOut.status).toBe(201);
      expect(signedOut.body.visitorId).not.toBe(session.visitorId);
      expect(signedOut.body.conversation).toBeNull();
    });
  });

  it('starts a new visitor when the token is unknown (e.g. after a database reset)', async () => {
    const started = await startSession(server.url, { visitorToken: 'x'.repeat(43) });
    expect(started.status).toBe(201);
    expect(started.body.visitorToken).not.toBe('x'.repeat(43));
  });
});
