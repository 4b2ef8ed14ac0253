import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentServerFrame, UpdateIntegrationRequest } from '../../protocol/index.js';
import type { AgentClient } from '../support/clients.js';
import { type FrameSocket } from '../support/clients.js';
import {
  createFollowedProject,
  settledSession,
  integrationOf,
  logOf,
  type IntegratedProject,
  startIdentityRig,
  type IdentityRig,
} from '../support/identity.js';
import type { TestServer } from '../support/server.js';
import type { SiteEndpoint } from '../support/site-endpoint.js';
import { json, raw, status, type Behaviour } from '../support/site-endpoint.js';

let rig: IdentityRig;
let server: TestServer;
let admin: AgentClient;
let agentSocket: FrameSocket<AgentServerFrame>;
let site: SiteEndpoint;

beforeAll(async () => {
  rig = await startIdentityRig();
  ({ server, site, admin, agentSocket } = rig);
});
afterAll(() => rig.close());

const newProject = (integration: UpdateIntegrationRequest) =>
  createFollowedProject(admin, agentSocket, integration);

/** A verified visitor's session and the outcome of its background fetch. */
async function sessionOutcome(project: IntegratedProject, id: string) {
  const { contact, socket } = await settledSession(server, admin, agentSocket, project, id);
  socket.close();
  return contact;
}

/** One user's data the site cannot serve well: each is that user's problem, not the site's. */
const perUser: Array<[string, Behaviour, string]> = [
  ['a field of the wrong type', json({ first_name: 42 }), 'invalid_profile'],
  ['broken JSON', raw('{"first_name": ', 'application/json'), 'bad_json'],
  ['HTML with 200', raw('<html></html>', 'text/html'), 'bad_content_type'],
  [
    'metadata 5 levels deep',
    json({ metadata: { a: { b: { c: { d: { e: 1 } } } } } }),
    'invalid_profile',
  ],
  ['400 Bad Request', json({ error: 'bad id' }, 400), 'bad_status'],
  ['422 Unprocessable', status(422), 'bad_status'],
  [
    'a data-sync answer about another user',
    json({ status: 'ok', externalId: 'mallory' }),
    'identity_mismatch',
  ],
];

describe('per-user outcomes', () => {
  it('never pause the project or mark it failing: seven bad users in a row, then a good one gets a profile', async () => {
    const project = await newProject({ enabled: true, url: site.template });
    let n = 0;
    for (const [what, behaviour, errorClass] of perUser) {
      n += 1;
      const id = `bad-user-${n}`;
      site.on(id, behaviour);
      const contact = await sessionOutcome(project, id);
      const outcome = errorClass === 'identity_mismatch' ? errorClass : 'invalid_response';
      expect(contact.lastAttempt?.outcome, what).toBe(outcome);
      expect(contact.profile).toBeNull();
      const [entry] = (await logOf(admin, project.id)).filter((e) => e.externalUserId === id);
      expect(entry, what).toMatchObject({ outcome, errorClass });
    }
    site.on('good-user', json({ first_name: 'Good' }));
    const good = await sessionOutcome(project, 'good-user');
    expect(good.lastAttempt?.outcome).toBe('ok');
    expect(good.profile).toMatchObject({ name: 'Good' });
    const settings = await integrationOf(admin, project.id);
    expect(settings.body.health).toMatchObject({ pausedUntil: null });
    expect(settings.body.health.status).not.toBe('failing');
  });

  it('do not interrupt a run of site failures: 5xx, a bad user, 5xx… still opens the breaker at five', async () => {
    const project = await newProject({ enabled: true, url: site.template });
    const outcomes: string[] = [];
    for (let i = 1; i <= 9; i += 1) {
      const id = `run-${i}`;
      // Every other user is a per-user failure between the site's 503s.
      site.on(id, i % 2 === 0 ? json({ first_name: 42 }) : status(503));
      outcomes.push((await sessionOutcome(project, id)).lastAttempt?.outcome ?? '');
    }
    expect(outcomes).toEqual([
      'server_error',
      'invalid_response',
      'server_error',
      'invalid_response',
      'server_error',
      'invalid_response',
      'server_error',
      'invalid_response',
      'server_error',
    ]);
    site.on('after-the-run', json({ first_name: 'Late' }));
    const paused = await sessionOutcome(project, 'after-the-run');
    expect(paused.lastAttempt?.outcome).toBe('circuit_open');
    expect(site.hitsFor('after-the-run')).toHaveLength(0);
    const settings = await integrationOf(admin, project.id);
    expect(settings.body.health.status).toBe('failing');
    expect(settings.body.health.pausedUntil).not.toBeNull();
  });
});
