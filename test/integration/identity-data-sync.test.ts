import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentServerFrame, UpdateIntegrationRequest } from '../../protocol/index.js';
import { AgentClient, sendAndAck, type FrameSocket } from '../support/clients.js';
import {
  createFollowedProject,
  settledSession,
  integrationOf,
  logOf,
  refresh,
  testConnection,
  type IntegratedProject,
} from '../support/identity.js';
import { ADMIN, startTestServer, type TestServer } from '../support/server.js';
import { DataSyncSite } from '../support/site-endpoint.js';

const SECRET = 'sync-secret-4c1f';

let server: TestServer;
let admin: AgentClient;
let agentSocket: FrameSocket<AgentServerFrame>;
let site: DataSyncSite;

beforeAll(async () => {
  [server, site] = await Promise.all([startTestServer(), DataSyncSite.start(SECRET)]);
  admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
  agentSocket = await admin.readySocket();
  site.users.set('known-1', { displayName: 'Kim Known', customData: { plan: 'Pro' } });
  site.users.set('alice', { displayName: 'Alice', email: 'alice@acme.test' });
});
afterAll(async () => {
  agentSocket.close();
  await server.close();
  await site.close();
});

const newProject = (integration: UpdateIntegrationRequest) =>
  createFollowedProject(admin, agentSocket, integration);

const dataSync = (secret = SECRET): UpdateIntegrationRequest => ({
  enabled: true,
  method: 'POST',
  url: site.url,
  headers: [{ name: DataSyncSite.SECRET_HEADER, value: secret }],
});

const settled = (project: IntegratedProject, id: string) =>
  settledSession(server, admin, agentSocket, project, id);

describe('a data-sync endpoint (POST, one fixed URL)', () => {
  it('is called at its URL exactly as given: no {id} needed, nothing appended', async () => {
    const project = await newProject(dataSync());
    const tested = await testConnection(admin, project.id, 'known-1');
    expect(tested.body).toMatchObject({
      outcome: 'ok',
      httpStatus: 200,
      shape: 'data_sync',
      profile: { name: 'Kim Known', metadata: { plan: 'Pro' } },
    });
    expect(site.hits.at(-1)).toEqual({
      method: 'POST',
      target: DataSyncSite.PATH,
      externalId: 'known-1',
    });
  });

  it('takes its URL as given in query style too: no ?id= is added', async () => {
    const project = await newProject({ ...dataSync(), style: 'query', paramName: 'id' });
    await testConnection(admin, project.id, 'known-1');
    expect(site.hits.at(-1)?.target).toBe(DataSyncSite.PATH);
  });

  it('refuses {id} in a POST URL with a message that says where the id goes', async () => {
    const project = await newProject(dataSync());
    const answer = await admin.request('PATCH', `/api/admin/projects/${project.id}/integration`, {
      url: `${site.url}/{id}`,
    });
    expect(answer.status).toBe(422);
    expect(JSON.stringify(answer.body)).toMatch(/JSON body/);
  });

  it('five unknown users (400 bad_request) in a row, then a known one: the known one gets its profile', async () => {
    const project = await newProject({ ...dataSync(), style: 'query' });
    for (let i = 1; i <= 5; i += 1) {
      const { contact, socket } = await settled(project, `unknown-${i}`);
      expect(contact.lastAttempt).toMatchObject({ outcome: 'not_found', httpStatus: 400 });
      expect(contact.profile).toBeNull();
      socket.close();
    }
    const { contact, socket } = await settled(project, 'known-1');
    expect(contact.lastAttempt).toMatchObject({ outcome: 'ok', httpStatus: 200 });
    expect(contact.profile).toMatchObject({ name: 'Kim Known', metadata: { plan: 'Pro' } });
    socket.close();

    const settings = await integrationOf(admin, project.id);
    expect(settings.body.health).toMatchObject({ status: 'healthy', pausedUntil: null });
    const entries = await logOf(admin, project.id);
    expect(entries.filter((e) => e.outcome === 'not_found')).toHaveLength(5);
  });

  it('a wrong secret (403 forbidden) is a site problem: unauthorized, the integration is failing', async () => {
    const project = await newProject(dataSync('not-the-secret'));
    const tested = await testConnection(admin, project.id, 'known-1');
    expect(tested.body).toMatchObject({ outcome: 'unauthorized', httpStatus: 403 });
    const settings = await integrationOf(admin, project.id);
    expect(settings.body.health.status).toBe('failing');
  });

  it('an answer about another user is refused and logged, nothing is stored, nothing pauses', async () => {
    const project = await newProject(dataSync());
    site.answersAbout = 'alice';
    try {
      for (let i = 1; i <= 6; i += 1) {
        const { contact, socket, conversationId } = await settled(project, `someone-${i}`);
        expect(contact.lastAttempt?.outcome).toBe('identity_mismatch');
        expect(contact.lastAttempt?.message).toMatch(/externalId/);
        expect(contact.profile).toBeNull();
        const refreshed = await refresh(admin, conversationId);
        expect(refreshed.body.profile).toBeNull();
        await sendAndAck(socket, { clientMessageId: `m${i}`, body: 'hello' });
        socket.close();
      }
      const [entry] = await logOf(admin, project.id);
      expect(entry).toMatchObject({
        outcome: 'identity_mismatch',
        errorClass: 'identity_mismatch',
      });
      const settings = await integrationOf(admin, project.id);
      expect(settings.body.health).toMatchObject({ pausedUntil: null });
      expect(settings.body.health.status).not.toBe('failing');
    } finally {
      site.answersAbout = null;
    }
    const { contact, socket } = await settled(project, 'alice');
    expect(contact.profile).toMatchObject({ name: 'Alice', email: 'alice@acme.test' });
    socket.close();
  });
});
