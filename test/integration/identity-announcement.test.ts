import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentServerFrame } from '../../protocol/index.js';
import type { AgentClient } from '../support/clients.js';
import { startSession, type FrameSocket } from '../support/clients.js';
import {
  createFollowedProject,
  refresh,
  settledSession,
  verifiedAs,
  type IntegratedProject,
  startIdentityRig,
  type IdentityRig,
} from '../support/identity.js';
import type { TestServer } from '../support/server.js';
import type { SiteEndpoint } from '../support/site-endpoint.js';
import { json } from '../support/site-endpoint.js';

let rig: IdentityRig;
let server: TestServer;
let admin: AgentClient;
let agentSocket: FrameSocket<AgentServerFrame>;
let site: SiteEndpoint;
let project: IntegratedProject;

beforeAll(async () => {
  rig = await startIdentityRig();
  ({ server, site, admin, agentSocket } = rig);
  project = await createFollowedProject(admin, agentSocket, {
    enabled: true,
    url: site.template,
  });
});
afterAll(() => rig.close());

/** Every frame sent to this socket before the call is in once the pong is back. */
async function drained(): Promise<void> {
  const from = agentSocket.mark();
  agentSocket.send({ type: 'ping' });
  await agentSocket.next((f) => f.type === 'pong', { from });
}

/** Frames the agent socket heard about one visitor since `from`. */
function framesAbout(visitorId: string, from: number) {
  return agentSocket.frames
    .slice(from)
    .filter((f) => (f.type === 'visitor' || f.type === 'profile') && f.visitorId === visitorId);
}

describe('a profile fetch reaches the consoles', () => {
  it('at session start: one frame about the visitor, carrying the profile panel as it is now', async () => {
    site.on('ann-1', json({ first_name: 'Ann', last_name: 'Lee', email: 'ann@acme.test' }));
    const from = agentSocket.mark();
    const started = await startSession(server.url, verifiedAs(project, 'ann-1'));
    const { visitorId } = started.body;
    await agentSocket.next((f) => f.type === 'profile' && f.visitorId === visitorId, { from });
    await drained();

    const heard = framesAbout(visitorId, from);
    expect(site.hitsFor('ann-1')).toHaveLength(1);
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({
      type: 'profile',
      conversationIds: [],
      visitorLabel: 'Ann Lee',
      contact: {
        externalUserId: 'ann-1',
        identity: 'verified',
        profile: { name: 'Ann Lee', email: 'ann@acme.test' },
        httpStatus: 200,
        lastAttempt: { outcome: 'ok' },
        pending: false,
      },
    });
  });

  it('on Refresh: one profile frame, for the conversation, equal to what the detail then shows', async () => {
    site.on('bo-2', json({ first_name: 'Bo' }));
    const { session, conversationId } = await settledSession(
      server,
      admin,
      agentSocket,
      project,
      'bo-2',
    );
    site.on('bo-2', json({ first_name: 'Bo', last_name: 'Berg' }));
    const from = agentSocket.mark();

    const refreshed = await refresh(admin, conversationId);
    await drained();

    expect(refreshed.status).toBe(200);
    const heard = framesAbout(session.visitorId, from);
    expect(heard).toEqual([
      {
        type: 'profile',
        visitorId: session.visitorId,
        conversationIds: [conversationId],
        contact: refreshed.body,
        visitorLabel: 'Bo Berg',
      },
    ]);
    // Before the result, consoles heard once that the fetch had started (their "Fetching profile…").
    const fetching = agentSocket.frames.slice(from).filter((f) => f.type === 'profile_fetching');
    expect(fetching).toEqual([{ type: 'profile_fetching', conversationIds: [conversationId] }]);
  });
});
