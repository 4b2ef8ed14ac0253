import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentServerFrame,
  ErrorBody,
  IntegrationSettings,
  UpdateIntegrationRequest,
} from '../../protocol/index.js';
import type { AgentClient } from '../support/clients.js';
import { sendAndAck, startSession, type FrameSocket } from '../support/clients.js';
import {
  createFollowedProject,
  settledSession,
  integrationOf,
  logOf,
  mintUserToken,
  refresh,
  testConnection,
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

beforeAll(async () => {
  rig = await startIdentityRig();
  ({ server, site, admin, agentSocket } = rig);
});
afterAll(() => rig.close());

const newProject = (integration: UpdateIntegrationRequest) =>
  createFollowedProject(admin, agentSocket, integration);

const profileOf = (id: string) => ({ first_name: 'Known', last_name: id });

const settled = (project: IntegratedProject, id: string) =>
  settledSession(server, admin, agentSocket, project, id);

/** Every id a path-style endpoint received reached it unchanged by one more decoding. */
function expectNothingToDecode(): void {
  for (const hit of site.hits) {
    expect(hit.target).toMatch(/^\/users\/[A-Za-z0-9._~@-]+$/);
    expect(decodeURIComponent(hit.target)).toBe(hit.target);
  }
}

describe('a path-style endpoint', () => {
  let project: IntegratedProject;
  beforeAll(async () => {
    project = await newProject({ enabled: true, url: site.template });
  });

  it('receives letters, digits and - _ . ~ @ literally: a server that decodes again sees the same path', async () => {
    for (const id of ['alice@acme.test', 'A-z.0~9_x']) {
      site.on(id, json(profileOf(id)));
      const { contact, socket } = await settled(project, id);
      expect(contact.profile?.lastName).toBe(id);
      expect(site.hitsFor(id).map((h) => h.target)).toEqual([`/users/${id}`]);
      socket.close();
    }
    expectNothingToDecode();
  });

  const hostile: Array<[string, string]> = [
    ['a/b', '"/"'],
    ['..%2Fadmin', '"%"'],
    ['a\\b', '"\\"'],
    ['%252e%252e', '"%"'],
    ['%5C..%5Cadmin', '"%"'],
    ['a b', '" " (U+0020)'],
    ['a+b', '"+"'],
    ['ü', '"ü" (U+00FC)'],
    ['x:y', '":"'],
    ['..', '".." in a path-style endpoint'],
  ];

  it.each(hostile)(
    'refuses %s before any request, says why in the log, Test connection and Refresh; the visitor chats on',
    async (id, named) => {
      const before = site.hits.length;
      const { contact, socket, conversationId, session } = await settled(project, id);
      expect(session.identity).toBe('verified');
      expect(contact.lastAttempt).toMatchObject({ outcome: 'invalid_id', httpStatus: null });
      expect(contact.lastAttempt?.message).toContain(named);
      expect(contact.lastAttempt?.message).toMatch(/query style/);

      const [entry] = (await logOf(admin, project.id)).filter((e) => e.externalUserId === id);
      expect(entry).toMatchObject({ trigger: 'session', outcome: 'invalid_id' });
      expect(entry?.message).toContain(named);

      const tested = await testConnection(admin, project.id, id);
      expect(tested.body).toMatchObject({ outcome: 'invalid_id', httpStatus: null });
      expect(tested.body.message).toContain(named);
      expect(tested.body.message).toMatch(/query style/);

      const refreshed = await refresh(admin, conversationId);
      expect(refreshed.body.lastAttempt?.outcome).toBe('invalid_id');

      expect(site.hits.length).toBe(before);
      const message = await sendAndAck(socket, { clientMessageId: 'still', body: 'still here' });
      expect(message.body).toBe('still here');
      socket.close();
    },
  );

  it('never pauses the project or marks it failing for refused ids: the next user gets a profile', async () => {
    const settings = await integrationOf(admin, project.id);
    expect(settings.body.health).toMatchObject({ pausedUntil: null });
    expect(settings.body.health.status).not.toBe('failing');
    site.on('after-the-refusals', json(profileOf('after-the-refusals')));
    const { contact, socket } = await settled(project, 'after-the-refusals');
    expect(contact.lastAttempt?.outcome).toBe('ok');
    expect(contact.profile?.lastName).toBe('after-the-refusals');
    socket.close();
    expectNothingToDecode();
  });
});

describe('a query-style endpoint', () => {
  it('receives the ids path style refuses, exactly, with a space as %20 and reserved characters encoded', async () => {
    const project = await newProject({
      enabled: true,
      style: 'query',
      paramName: 'id',
      url: `${site.origin}/users?v=2`,
    });
    const cases: Array<[string, string]> = [
      ['a b', 'a%20b'],
      ['a+b', 'a%2Bb'],
      ['a/b', 'a%2Fb'],
      ['..%2F', '..%252F'],
      ["o'neil (1)*", 'o%27neil%20%281%29%2A'],
      ['ü', '%C3%BC'],
    ];
    for (const [id, encoded] of cases) {
      site.on(id, json(profileOf(id)));
      const tested = await testConnection(admin, project.id, id);
      expect(tested.body.outcome, id).toBe('ok');
      expect(tested.body.profile?.lastName).toBe(id);
      expect(site.hitsFor(id).at(-1)?.target).toBe(`/users?v=2&id=${encoded}`);
    }
  });
});

describe('ids with invisible or direction-changing characters', () => {
  let project: IntegratedProject;
  beforeAll(async () => {
    project = await newProject({ enabled: true, url: site.template });
  });

  /** The character, and what the refusal says (a lone surrogate is refused in any text field). */
  const invisible: Array<[string, string, RegExp]> = [
    ['a right-to-left override', '\u202e', /invisible or direction-changing.*U\+202E/],
    ['a zero-width space', '\u200b', /invisible or direction-changing.*U\+200B/],
    ['a byte order mark', '\ufeff', /invisible or direction-changing.*U\+FEFF/],
    ['a line separator', '\u2028', /invisible or direction-changing.*U\+2028/],
    ['a lone surrogate', '\ud800', /invalid character \(unpaired surrogate\)/],
    ['a soft hyphen', '\u00ad', /invisible or direction-changing.*U\+00AD/],
    ['a control character', '\u0007', /invisible or direction-changing.*U\+0007/],
  ];

  it.each(invisible)(
    'with %s: session start answers 422 naming it and stores nothing',
    async (_what, char, reason) => {
      const id = `admin${char}1`;
      const started = await startSession(server.url, verifiedAs(project, id));
      expect(started.status).toBe(422);
      const body = started.body as unknown as ErrorBody;
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.message).toMatch(reason);
      expect(await server.services.store.contacts.get(project.id, id)).toBeNull();
      expect(site.hits.filter((h) => h.path.includes('admin'))).toEqual([]);
    },
  );

  it.each(invisible)('with %s: Test connection refuses it (422)', async (_what, char, reason) => {
    const tested = await testConnection(admin, project.id, `admin${char}1`);
    expect(tested.status).toBe(422);
    expect((tested.body as unknown as ErrorBody).error.message).toMatch(reason);
  });

  it('in a userToken "sub": the token proves nothing, the visitor chats anonymously and is told why', async () => {
    const userToken = await mintUserToken(project.secret, {
      sub: 'admin\u202e1',
      aud: project.id,
    });
    const started = await startSession(server.url, { projectId: project.id, userToken });
    expect(started.status).toBe(201);
    expect(started.body.identity).toBe('anonymous');
    expect(started.body.notice).toMatch(/"sub".*invisible or direction-changing/);
  });

  it('leave the integration healthy', async () => {
    const settings = await admin.request<IntegrationSettings>(
      'GET',
      `/api/admin/projects/${project.id}/integration`,
    );
    expect(settings.body.health.status).not.toBe('failing');
  });
});
