import { SignJWT } from 'jose';
import type {
  AgentServerFrame,
  ContactProfile,
  ConversationDetail,
  IntegrationLog,
  IntegrationLogEntry,
  IntegrationSettings,
  RotateSecretResponse,
  StartSessionRequest,
  TestConnectionResult,
  UpdateIntegrationRequest,
} from '../../protocol/index.js';
import { userHashFor } from '../../server/identity/index.js';
import { AgentClient, startConversation, type FrameSocket, type HttpAnswer } from './clients.js';
import { ADMIN, SITE_ORIGIN, startTestServer, type TestServer } from './server.js';
import { SiteEndpoint } from './site-endpoint.js';

let projectCount = 0;

/** A server, the fake site endpoint it calls, and the admin following it on a live socket. */
export interface IdentityRig {
  server: TestServer;
  site: SiteEndpoint;
  admin: AgentClient;
  agentSocket: FrameSocket<AgentServerFrame>;
  close(): Promise<void>;
}

export async function startIdentityRig(): Promise<IdentityRig> {
  const [server, site] = await Promise.all([startTestServer(), SiteEndpoint.start()]);
  const admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
  const agentSocket = await admin.readySocket();
  return {
    server,
    site,
    admin,
    agentSocket,
    async close() {
      agentSocket.close();
      await server.close();
      await site.close();
    },
  };
}

export interface IntegratedProject {
  id: string;
  /** The identity secret the site's backend signs with (made with no grace for older ones). */
  secret: string;
}

/**
 * A new project (allowing the test site's origin) with its API integration configured. Each
 * suite or case gets its own, so one case's failures cannot open another's circuit breaker.
 */
export async function createIntegratedProject(
  admin: AgentClient,
  integration: UpdateIntegrationRequest,
): Promise<IntegratedProject> {
  projectCount += 1;
  const id = `site-${process.pid}-${projectCount}`;
  const created = await admin.request('POST', '/api/admin/projects', {
    id,
    name: `Site ${projectCount}`,
    allowedOrigins: [SITE_ORIGIN],
  });
  if (created.status !== 201) throw new Error(`project: ${JSON.stringify(created.body)}`);
  const patched = await admin.request(
    'PATCH',
    `/api/admin/projects/${id}/integration`,
    integration,
  );
  if (patched.status !== 200) throw new Error(`integration: ${JSON.stringify(patched.body)}`);
  const rotated = await admin.request<RotateSecretResponse>(
    'POST',
    `/api/admin/projects/${id}/identity-secret`,
    { graceHours: 0 },
  );
  return { id, secret: rotated.body.secret };
}

/**
 * A new project while the admin's console socket is open: the socket follows the new access in
 * place (an `access` frame), and hears the project's events from then on.
 */
export async function createFollowedProject(
  admin: AgentClient,
  socket: FrameSocket<AgentServerFrame>,
  integration: UpdateIntegrationRequest,
): Promise<IntegratedProject> {
  const from = socket.mark();
  const project = await createIntegratedProject(admin, integration);
  await socket.next((f) => f.type === 'access', { from });
  return project;
}

/** Session input of a user the site vouches for with a `userHash`. */
export function verifiedAs(
  project: IntegratedProject,
  externalUserId: string,
): Partial<StartSessionRequest> {
  return {
    projectId: project.id,
    externalUserId,
    userHash: userHashFor(externalUserId, project.secret),
  };
}

/** A `userToken` as a site's backend mints it (HS256), with claims the test may bend. */
export async function mintUserToken(
  secret: string,
  claims: { sub: string; aud: string; expiresIn?: number; notBefore?: number; issuedIn?: number },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setAudience(claims.aud)
    .setIssuedAt(now + (claims.issuedIn ?? 0))
    .setExpirationTime(now + (claims.expiresIn ?? 3600));
  if (claims.notBefore !== undefined) jwt = jwt.setNotBefore(now + claims.notBefore);
  return jwt.sign(new TextEncoder().encode(secret));
}

export function integrationOf(admin: AgentClient, projectId: string) {
  return admin.request<IntegrationSettings>('GET', `/api/admin/projects/${projectId}/integration`);
}

export async function logOf(
  admin: AgentClient,
  projectId: string,
  query = '',
): Promise<IntegrationLogEntry[]> {
  const answer = await admin.request<IntegrationLog>(
    'GET',
    `/api/admin/projects/${projectId}/integration/log?limit=200${query}`,
  );
  if (answer.status !== 200) throw new Error(`log: ${JSON.stringify(answer.body)}`);
  return answer.body.items;
}

export function testConnection(
  admin: AgentClient,
  projectId: string,
  externalUserId: string,
): Promise<HttpAnswer<TestConnectionResult>> {
  return admin.request<TestConnectionResult>(
    'POST',
    `/api/admin/projects/${projectId}/integration/test`,
    { externalUserId },
  );
}

export function refresh(
  admin: AgentClient,
  conversationId: string,
): Promise<HttpAnswer<ContactProfile>> {
  return admin.request<ContactProfile>(
    'POST',
    `/api/agent/conversations/${conversationId}/profile/refresh`,
  );
}

export async function detailOf(
  admin: AgentClient,
  conversationId: string,
): Promise<ConversationDetail> {
  const answer = await admin.request<ConversationDetail>(
    'GET',
    `/api/agent/conversations/${conversationId}`,
  );
  if (answer.status !== 200) throw new Error(`detail: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/**
 * Waits until the agent's view of a conversation's contact satisfies `done`: re-reads it each
 * time the agent socket hears that the visitor or their profile changed (a background fetch
 * announces its end), never by sleeping.
 */
export async function contactWhen(
  admin: AgentClient,
  socket: FrameSocket<AgentServerFrame>,
  conversationId: string,
  done: (contact: ContactProfile) => boolean,
): Promise<ContactProfile> {
  for (;;) {
    const from = socket.mark();
    const { contact, visitor } = await detailOf(admin, conversationId);
    if (contact && done(contact)) return contact;
    await socket.next(
      (f) => (f.type === 'visitor' || f.type === 'profile') && f.visitorId === visitor.id,
      { from },
    );
  }
}

/**
 * A verified visitor of `project` in conversation, once the background fetch of their session
 * start has settled, with the contact the agent then sees.
 */
export async function settledSession(
  server: { url: string; wsUrl: string },
  admin: AgentClient,
  socket: FrameSocket<AgentServerFrame>,
  project: IntegratedProject,
  externalUserId: string,
) {
  const conversation = await startConversation(server, {
    session: verifiedAs(project, externalUserId),
  });
  const contact = await contactWhen(
    admin,
    socket,
    conversation.conversationId,
    (c) => c.lastAttempt !== null && !c.pending,
  );
  return { ...conversation, contact };
}
