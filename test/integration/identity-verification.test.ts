import { UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentServerFrame,
  ErrorBody,
  IntegrationSettings,
  RotateSecretResponse,
  StartSessionRequest,
  VisitorServerFrame,
} from '../../protocol/index.js';
import { userHashFor } from '../../server/identity/index.js';
import {
  AgentClient,
  readyVisitorSocket,
  sendAndAck,
  startConversation,
  startSession,
  type FrameSocket,
} from '../support/clients.js';
import {
  contactWhen,
  createIntegratedProject,
  detailOf,
  mintUserToken,
  verifiedAs,
  type IntegratedProject,
} from '../support/identity.js';
import { ADMIN, startTestServer, type TestServer } from '../support/server.js';
import { json, SiteEndpoint } from '../support/site-endpoint.js';

type History = Extract<VisitorServerFrame, { type: 'history' }>;
type ErrorFrame = Extract<VisitorServerFrame, { type: 'error' }>;

let server: TestServer;
let admin: AgentClient;
let agentSocket: FrameSocket<AgentServerFrame>;
let site: SiteEndpoint;
let project: IntegratedProject;

beforeAll(async () => {
  [server, site] = await Promise.all([startTestServer(), SiteEndpoint.start()]);
  admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
  project = await createIntegratedProject(admin, { enabled: true, url: site.template });
  agentSocket = await admin.readySocket();
});
afterAll(async () => {
  agentSocket.close();
  await server.close();
  await site.close();
});

let userCount = 0;
/** A user the site knows, with a profile the endpoint serves. */
function newUser(prefix = 'user'): string {
  userCount += 1;
  const id = `${prefix}-${userCount}`;
  site.on(id, json({ first_name: 'User', last_name: String(userCount), email: `${id}@acme.test` }));
  return id;
}

const session = (input: Partial<StartSessionRequest>) =>
  startSession(server.url, { projectId: project.id, ...input });

async function setRequireVerified(target: IntegratedProject, on: boolean): Promise<void> {
  const answer = await admin.request<IntegrationSettings>(
    'PATCH',
    `/api/admin/projects/${target.id}/integration`,
    { requireVerified: on },
  );
  expect(answer.body.requireVerified).toBe(on);
}

describe('userToken (JWT)', () => {
  it('a valid token makes the visitor verified: the agent sees the badge and the profile', async () => {
    const id = newUser();
    const userToken = await mintUserToken(project.secret, { sub: id, aud: project.id });
    const {
      session: started,
      socket,
      conversationId,
    } = await startConversation(server, {
      session: { projectId: project.id, externalUserId: id, userToken },
    });
    socket.close();
    expect(started).toMatchObject({ identity: 'verified', notice: null });

    const contact = await contactWhen(admin, agentSocket, conversationId, (c) => !!c.profile);
    expect(contact).toMatchObject({
      externalUserId: id,
      identity: 'verified',
      profile: { name: `User ${userCount}`, email: `${id}@acme.test` },
      httpStatus: 200,
    });
    const detail = await detailOf(admin, conversationId);
    expect(detail.visitor).toMatchObject({ externalUserId: id, identity: 'verified' });
    expect(detail.conversation).toMatchObject({ externalUserId: id, identity: 'verified' });
  });

  it('a token alone (no externalUserId) names the user by its sub', async () => {
    const id = newUser();
    const userToken = await mintUserToken(project.secret, { sub: id, aud: project.id });
    const started = await session({ userToken });
    expect(started.status).toBe(201);
    expect(started.body.identity).toBe('verified');
  });

  const refusals: Array<[string, (id: string) => Promise<string>, RegExp]> = [
    [
      'alg "none"',
      (id) =>
        Promise.resolve(
          new UnsecuredJWT({ sub: id, aud: project.id })
            .setExpirationTime(Math.floor(Date.now() / 1000) + 3600)
            .encode(),
        ),
      /malformed/,
    ],
    [
      'a wrong audience (another project)',
      (id) => mintUserToken(project.secret, { sub: id, aud: 'another-project' }),
      /"aud"/,
    ],
    [
      'an expired token (beyond the 60 s leeway)',
      (id) => mintUserToken(project.secret, { sub: id, aud: project.id, expiresIn: -120 }),
      /expired/,
    ],
    [
      'a token not valid before an hour from now',
      (id) => mintUserToken(project.secret, { sub: id, aud: project.id, notBefore: 3600 }),
      /not valid yet/,
    ],
    [
      'a token issued an hour from now, without nbf',
      (id) => mintUserToken(project.secret, { sub: id, aud: project.id, issuedIn: 3600 }),
      /not valid yet/,
    ],
    [
      'a token signed with another secret',
      (id) => mintUserToken('not-the-project-secret', { sub: id, aud: project.id }),
      /signature/,
    ],
    [
      'a token living longer than 24 hours',
      (id) => mintUserToken(project.secret, { sub: id, aud: project.id, expiresIn: 48 * 3600 }),
      /24 hours/,
    ],
    [
      'a token for another user than externalUserId',
      () => mintUserToken(project.secret, { sub: 'someone-else', aud: project.id }),
      /"sub"/,
    ],
  ];

  it.each(refusals)(
    'refuses %s: the visitor is anonymous, nothing is fetched, and the notice says why',
    async (_what, mint, why) => {
      const id = newUser();
      const started = await session({ externalUserId: id, userToken: await mint(id) });
      expect(started.status).toBe(201);
      expect(started.body.identity).toBe('anonymous');
      expect(started.body.notice).toMatch(why);
      expect(started.body.notice).toMatch(/requires verified identities/);
      // The socket's ready frame comes after the session committed; any fetch would have started.
      const socket = await readyVisitorSocket(server.wsUrl, started.body.visitorToken);
      const first = await sendAndAck(socket, { clientMessageId: 'm1', body: 'hi' });
      socket.close();
      expect((await detailOf(admin, first.conversationId)).contact).toBeNull();
      expect(site.hitsFor(id)).toHaveLength(0);
    },
  );

  it('accepts a token signed with the previous secret during the grace period only', async () => {
    const rotating = await createIntegratedProject(admin, { enabled: true, url: site.template });
    const old = rotating.secret;
    const id = newUser();
    const oldToken = await mintUserToken(old, { sub: id, aud: rotating.id });

    const rotated = await admin.request<RotateSecretResponse>(
      'POST',
      `/api/admin/projects/${rotating.id}/identity-secret`,
      { graceHours: 24 },
    );
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    expect(rotated.body.settings.identitySecrets).toHaveLength(2);
    const fresh = rotated.body.secret;
    expect(fresh).not.toBe(old);

    const withOld = await startSession(server.url, {
      projectId: rotating.id,
      externalUserId: id,
      userToken: oldToken,
    });
    expect(withOld.body.identity).toBe('verified');
    const withNew = await startSession(server.url, {
      projectId: rotating.id,
      externalUserId: id,
      userToken: await mintUserToken(fresh, { sub: id, aud: rotating.id }),
    });
    expect(withNew.body.identity).toBe('verified');

    // A rotation without grace revokes every older secret at once.
    const revoked = await admin.request<RotateSecretResponse>(
      'POST',
      `/api/admin/projects/${rotating.id}/identity-secret`,
      { graceHours: 0 },
    );
    expect(revoked.body.settings.identitySecrets).toHaveLength(1);
    for (const secret of [old, fresh]) {
      const refused = await startSession(server.url, {
        projectId: rotating.id,
        externalUserId: id,
        userToken: await mintUserToken(secret, { sub: id, aud: rotating.id }),
      });
      expect(refused.body).toMatchObject({ identity: 'anonymous' });
      expect(refused.body.notice).toMatch(/signature/);
    }
    const latest = await startSession(server.url, {
      projectId: rotating.id,
      externalUserId: id,
      userHash: userHashFor(id, revoked.body.secret),
    });
    expect(latest.body.identity).toBe('verified');
  });

  it('never returns the identity secret except in the rotation answer', async () => {
    const settings = await admin.request('GET', `/api/admin/projects/${project.id}/integration`);
    expect(JSON.stringify(settings.body)).not.toContain(project.secret);
  });
});

describe('userHash (HMAC)', () => {
  it('a valid hash makes the visitor verified', async () => {
    const id = newUser();
    const started = await session(verifiedAs(project, id));
    expect(started.body).toMatchObject({ identity: 'verified', notice: null });
  });

  it('accepts the hash in uppercase hex (the same bytes)', async () => {
    const id = newUser();
    const started = await session({
      externalUserId: id,
      userHash: userHashFor(id, project.secret).toUpperCase(),
    });
    expect(started.body.identity).toBe('verified');
  });

  it.each([
    ['a short hash', (h: string) => h.slice(0, 32), /malformed/],
    ['a non-hex hash', (h: string) => 'z'.repeat(h.length), /malformed/],
    ['a hash of another id', () => userHashFor('someone-else', project.secret), /signature/],
    ['an empty hash', () => '', /without a userToken or userHash/],
  ])('refuses %s: the visitor is anonymous and told why', async (_what, bend, why) => {
    const id = newUser();
    const started = await session({
      externalUserId: id,
      userHash: bend(userHashFor(id, project.secret)),
    });
    expect(started.status).toBe(201);
    expect(started.body.identity).toBe('anonymous');
    expect(started.body.notice).toMatch(why);
  });

  it('says why a hash without externalUserId is ignored', async () => {
    const started = await session({ userHash: userHashFor('someone', project.secret) });
    expect(started.body.identity).toBe('anonymous');
    expect(started.body.notice).toMatch(/userHash came without externalUserId/);
  });

  it('refuses a hash sent as an array with a 422 naming the field', async () => {
    const id = newUser();
    const hash = userHashFor(id, project.secret);
    const answer = await fetch(`${server.url}/api/widget/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'http://shop.test' },
      body: JSON.stringify({ projectId: project.id, externalUserId: id, userHash: [hash] }),
    });
    expect(answer.status).toBe(422);
    const body = (await answer.json()) as ErrorBody;
    expect(body.error.code).toBe('validation_failed');
    expect(JSON.stringify(body.error)).toContain('userHash');
  });
});

describe('"Require verified identity"', () => {
  it('is on for new projects: an unproven id is ignored and nothing is fetched', async () => {
    const fresh = await createIntegratedProject(admin, { enabled: true, url: site.template });
    const settings = await admin.request<IntegrationSettings>(
      'GET',
      `/api/admin/projects/${fresh.id}/integration`,
    );
    expect(settings.body.requireVerified).toBe(true);

    const id = newUser();
    const {
      session: started,
      socket,
      conversationId,
    } = await startConversation(server, {
      session: { projectId: fresh.id, externalUserId: id },
    });
    socket.close();
    expect(started.identity).toBe('anonymous');
    expect(started.notice).toMatch(new RegExp(`externalUserId "${id}" was ignored`));
    expect(started.notice).toMatch(/Settings → API Integration/);
    const detail = await detailOf(admin, conversationId);
    expect(detail.visitor).toMatchObject({ externalUserId: null, identity: 'anonymous' });
    expect(detail.contact).toBeNull();
    expect(site.hitsFor(id)).toHaveLength(0);
  });

  it('off: an unproven id is accepted as claimed, fetched, and marked in every view', async () => {
    const lax = await createIntegratedProject(admin, { enabled: true, url: site.template });
    await setRequireVerified(lax, false);
    const id = newUser();
    const {
      session: started,
      socket,
      conversationId,
    } = await startConversation(server, {
      session: { projectId: lax.id, externalUserId: id },
    });
    socket.close();
    expect(started.identity).toBe('claimed');
    expect(started.notice).toMatch(/claim only/);

    const contact = await contactWhen(admin, agentSocket, conversationId, (c) => !!c.profile);
    expect(contact).toMatchObject({ identity: 'claimed', externalUserId: id });
    const detail = await detailOf(admin, conversationId);
    expect(detail.visitor.identity).toBe('claimed');
    expect(detail.conversation.identity).toBe('claimed');
    expect(site.hitsFor(id)).toHaveLength(1);
  });
});

describe('whose conversation a visitor sees', () => {
  let lax: IntegratedProject;
  beforeAll(async () => {
    lax = await createIntegratedProject(admin, { enabled: true, url: site.template });
    await setRequireVerified(lax, false);
  });

  it('claiming another contact’s id never shows their conversation', async () => {
    const alice = newUser('alice');
    const real = await startConversation(server, {
      session: verifiedAs(lax, alice),
      body: 'My card number changed',
    });

    const impostor = await startSession(server.url, { projectId: lax.id, externalUserId: alice });
    expect(impostor.status).toBe(201);
    expect(impostor.body.identity).toBe('claimed');
    expect(impostor.body.visitorId).not.toBe(real.session.visitorId);
    expect(impostor.body.conversation).toBeNull();

    const socket = await readyVisitorSocket(server.wsUrl, impostor.body.visitorToken, {
      resume: [{ conversationId: real.conversationId, afterSeq: 0 }],
    });
    const from = socket.mark();
    socket.send({ type: 'history', conversationId: real.conversationId });
    const refused = await socket.next<ErrorFrame>((f) => f.type === 'error', { from });
    expect(refused.code).toMatch(/not_found|forbidden/);
    const own = await sendAndAck(socket, { clientMessageId: 'i1', body: 'hello' });
    expect(own.conversationId).not.toBe(real.conversationId);
    expect(socket.all('message').map((f) => f.message.body)).not.toContain(
      'My card number changed',
    );
    socket.close();
    real.socket.close();

    // With verification required, the same claim is simply anonymous.
    const strict = await startSession(server.url, { projectId: project.id, externalUserId: alice });
    expect(strict.body).toMatchObject({ identity: 'anonymous', conversation: null });
  });

  it('a verified user on a second device (no token) joins the same visitor and sees their history', async () => {
    const bea = newUser('bea');
    const laptop = await startConversation(server, {
      session: verifiedAs(lax, bea),
      body: 'Written on my laptop',
    });
    laptop.socket.close();

    const phone = await startSession(server.url, verifiedAs(lax, bea));
    expect(phone.status).toBe(200);
    expect(phone.body.visitorId).toBe(laptop.session.visitorId);
    expect(phone.body.visitorToken).not.toBe(laptop.session.visitorToken);
    expect(phone.body.conversation?.id).toBe(laptop.conversationId);

    const socket = await readyVisitorSocket(server.wsUrl, phone.body.visitorToken);
    const from = socket.mark();
    socket.send({ type: 'history', conversationId: laptop.conversationId });
    const history = await socket.next<History>((f) => f.type === 'history', { from });
    expect(history.messages.map((m) => m.body)).toEqual(['Written on my laptop']);
    const reply = await sendAndAck(socket, { clientMessageId: 'p1', body: 'Now on my phone' });
    expect(reply.conversationId).toBe(laptop.conversationId);
    socket.close();

    // Both device tokens keep working.
    const again = await startSession(server.url, {
      ...verifiedAs(lax, bea),
      visitorToken: laptop.session.visitorToken,
    });
    expect(again.body.visitorId).toBe(laptop.session.visitorId);
  });

  it('claimed ids never join: a second browser claiming the same id starts afresh', async () => {
    const cid = newUser('carl');
    const first = await startConversation(server, {
      session: { projectId: lax.id, externalUserId: cid },
    });
    first.socket.close();
    expect(first.session.identity).toBe('claimed');

    const second = await startSession(server.url, { projectId: lax.id, externalUserId: cid });
    expect(second.status).toBe(201);
    expect(second.body.visitorId).not.toBe(first.session.visitorId);
    expect(second.body.conversation).toBeNull();
  });

  it('a claim never joins a verified user’s visitor either', async () => {
    const dana = newUser('dana');
    const verified = await startConversation(server, { session: verifiedAs(lax, dana) });
    verified.socket.close();
    const claim = await startSession(server.url, { projectId: lax.id, externalUserId: dana });
    expect(claim.body.visitorId).not.toBe(verified.session.visitorId);
    expect(claim.body.conversation).toBeNull();
  });

  it('switching identity on the same browser gives the next user a fresh visitor', async () => {
    const eve = newUser('eve');
    const frank = newUser('frank');
    const first = await startConversation(server, {
      session: verifiedAs(project, eve),
      body: 'Eve’s private question',
    });
    first.socket.close();

    // Palaver('identify') as frank, with eve's device token still in localStorage.
    const switched = await session({
      ...verifiedAs(project, frank),
      visitorToken: first.session.visitorToken,
    });
    expect(switched.status).toBe(201);
    expect(switched.body.visitorId).not.toBe(first.session.visitorId);
    expect(switched.body.conversation).toBeNull();
    const socket = await readyVisitorSocket(server.wsUrl, switched.body.visitorToken, {
      resume: [{ conversationId: first.conversationId, afterSeq: 0 }],
    });
    expect(socket.all('ready')[0]?.conversation).toBeNull();
    const mine = await sendAndAck(socket, { clientMessageId: 'f1', body: 'Frank here' });
    expect(mine.conversationId).not.toBe(first.conversationId);
    expect(socket.all('message')).toEqual([]);
    socket.close();

    // A page that forgot to call reset(): eve's token without any id is not eve any more.
    const signedOut = await session({ visitorToken: first.session.visitorToken });
    expect(signedOut.status).toBe(201);
    expect(signedOut.body).toMatchObject({ identity: 'anonymous', conversation: null });

    // An unproven claim of another id with eve's token does not reach eve's conversation.
    const claim = await session({
      externalUserId: frank,
      visitorToken: first.session.visitorToken,
    });
    expect(claim.body.visitorId).not.toBe(first.session.visitorId);
    expect(claim.body.conversation).toBeNull();

    // Eve signing back in on this browser finds her conversation again.
    const back = await session({
      ...verifiedAs(project, eve),
      visitorToken: first.session.visitorToken,
    });
    expect(back.body.visitorId).toBe(first.session.visitorId);
    expect(back.body.conversation?.id).toBe(first.conversationId);
  });
});
