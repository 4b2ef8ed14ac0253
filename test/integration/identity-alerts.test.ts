import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, IntegrationSettings, UpdateIntegrationRequest } from '../../protocol/index.js';
import { AgentClient } from '../support/clients.js';
import {
  createFollowedProject,
  startIdentityRig,
  testConnection,
  type IdentityRig,
} from '../support/identity.js';
import { AGENT, PROJECT_ID } from '../support/server.js';
import { json, status } from '../support/site-endpoint.js';

let rig: IdentityRig;
beforeAll(async () => {
  rig = await startIdentityRig();
});
afterAll(() => rig.close());

const newProject = (integration: UpdateIntegrationRequest) =>
  createFollowedProject(rig.admin, rig.agentSocket, {
    enabled: true,
    url: rig.site.template,
    ...integration,
  });

const patch = (projectId: string, body: unknown) =>
  rig.admin.request<IntegrationSettings>(
    'PATCH',
    `/api/admin/projects/${projectId}/integration`,
    body,
  );

describe('when the integration turns unhealthy', () => {
  it('admins are told at once and an event is recorded; agents who are not admins hear nothing', async () => {
    const agent = await AgentClient.login(rig.server.url, AGENT.email, AGENT.password);
    const agentSocket = await agent.readySocket();
    const from = rig.agentSocket.mark();
    await patch(PROJECT_ID, { enabled: true, url: rig.site.template });
    rig.site.on('locked-1', status(401));
    expect((await testConnection(rig.admin, PROJECT_ID, 'locked-1')).body.outcome).toBe(
      'unauthorized',
    );

    const frame = await rig.agentSocket.next((f) => f.type === 'integration_health', { from });
    expect(frame).toMatchObject({
      type: 'integration_health',
      projectId: PROJECT_ID,
      previous: 'unknown',
      health: { status: 'failing', lastError: { outcome: 'unauthorized', httpStatus: 401 } },
    });
    const events = await rig.server.services.store.events.listEvents(PROJECT_ID, { limit: 10 });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'integration.health_changed',
        payload: expect.objectContaining({ from: 'unknown', to: 'failing' }),
      }),
    ]);

    // The agent's socket answers a ping after anything published before it: nothing came.
    agentSocket.send({ type: 'ping' });
    await agentSocket.next((f) => f.type === 'pong');
    expect(agentSocket.all('integration_health')).toEqual([]);

    // A second failure changes nothing to announce; the recovery does.
    expect((await testConnection(rig.admin, PROJECT_ID, 'locked-1')).body.outcome).toBe(
      'unauthorized',
    );
    rig.site.on('open-1', json({ first_name: 'Back' }));
    const again = rig.agentSocket.mark();
    await testConnection(rig.admin, PROJECT_ID, 'open-1');
    const recovered = await rig.agentSocket.next((f) => f.type === 'integration_health', {
      from: again,
    });
    expect(recovered).toMatchObject({ previous: 'failing', health: { status: 'healthy' } });
    expect(rig.agentSocket.all('integration_health', from)).toHaveLength(2);
    expect(
      await rig.server.services.store.events.listEvents(PROJECT_ID, { limit: 10 }),
    ).toHaveLength(2);
    agentSocket.close();
  });

  it('reaches an agent made admin while their console is open, and no longer one made agent', async () => {
    const email = `promoted-${Date.now()}@test.local`;
    const password = 'promoted-password-1';
    const created = await rig.admin.request<Agent>('POST', '/api/admin/agents', {
      email,
      name: 'Pat Promoted',
      password,
      role: 'agent',
      projectIds: [PROJECT_ID],
    });
    const client = await AgentClient.login(rig.server.url, email, password);
    const socket = await client.readySocket();
    const setRole = async (role: 'admin' | 'agent') => {
      const from = socket.mark();
      await rig.admin.request('PATCH', `/api/admin/agents/${created.body.id}`, { role });
      await socket.next((f) => f.type === 'access', { from });
    };
    const project = await newProject({});
    rig.site.on('promo-down', status(503));
    rig.site.on('promo-up', json({ first_name: 'Up' }));

    await setRole('admin');
    const from = socket.mark();
    await testConnection(rig.admin, project.id, 'promo-down');
    await socket.next((f) => f.type === 'integration_health' && f.projectId === project.id, {
      from,
    });

    await setRole('agent');
    const after = socket.mark();
    const adminFrom = rig.agentSocket.mark();
    await testConnection(rig.admin, project.id, 'promo-up');
    await rig.agentSocket.next(
      (f) => f.type === 'integration_health' && f.projectId === project.id,
      { from: adminFrom },
    );
    socket.send({ type: 'ping' });
    await socket.next((f) => f.type === 'pong', { from: after });
    expect(socket.all('integration_health', after)).toEqual([]);
    socket.close();
  });
});
