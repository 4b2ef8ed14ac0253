import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  IntegrationMapping,
  IntegrationSettings,
  TestConnectionResult,
  UpdateIntegrationRequest,
} from '../../protocol/index.js';
import {
  createFollowedProject,
  integrationOf,
  logOf,
  refresh,
  settledSession,
  startIdentityRig,
  testConnection,
  type IdentityRig,
} from '../support/identity.js';
import { json } from '../support/site-endpoint.js';

let rig: IdentityRig;
beforeAll(async () => {
  rig = await startIdentityRig();
});
afterAll(() => rig.close());

/** A site whose user endpoint answers in a JSON:API-like nested shape. */
const nested = (id: string, firstName: string, email: string) =>
  json({
    data: {
      id,
      attributes: {
        firstName,
        lastName: 'L',
        emails: [{ email }],
        plan: 'Pro',
        card: '4111 1111 1111 1111',
      },
    },
    meta: { requestId: 'req-123456' },
  });

const MAPPING: IntegrationMapping = {
  preset: 'custom',
  fields: {
    externalId: '/data/id',
    firstName: '/data/attributes/firstName',
    lastName: 'data.attributes.lastName',
    email: 'data.attributes.emails[0].email',
  },
  properties: [{ path: 'data.attributes.plan', property: 'plan' }],
  includeRemaining: false,
};

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

describe('a mapped nested answer', () => {
  it('becomes the profile agents see, and an answer about another user never replaces it', async () => {
    const project = await newProject({ mapping: MAPPING });
    rig.site.on('u-1', nested('u-1', 'Ada', 'ada@example.com'));
    const first = await settledSession(rig.server, rig.admin, rig.agentSocket, project, 'u-1');
    expect(first.contact.profile).toEqual({
      name: 'Ada L',
      firstName: 'Ada',
      lastName: 'L',
      email: 'ada@example.com',
      phone: null,
      avatarUrl: null,
      metadata: { plan: 'Pro' },
    });

    // The site's bug: it answers with another user's record.
    rig.site.on('u-1', nested('u-2', 'Mallory', 'mallory@example.com'));
    const refreshed = await refresh(rig.admin, first.conversationId);
    expect(refreshed.body.lastAttempt).toMatchObject({
      outcome: 'identity_mismatch',
      httpStatus: 200,
    });
    expect(refreshed.body.lastAttempt?.message).toMatch(/data\.id is not the requested id/);
    expect(refreshed.body.profile).toMatchObject({ name: 'Ada L', email: 'ada@example.com' });
    expect(JSON.stringify(refreshed.body)).not.toContain('Mallory');

    const [entry] = await logOf(rig.admin, project.id);
    expect(entry).toMatchObject({
      externalUserId: 'u-1',
      outcome: 'identity_mismatch',
      errorClass: 'identity_mismatch',
      invalidFields: ['data.id'],
    });
    // One visitor's bad record says nothing about the site as a whole.
    expect((await integrationOf(rig.admin, project.id)).body.health.status).toBe('healthy');
    first.socket.close();
  });

  it('checks a top-level id in the standard shape too', async () => {
    const project = await newProject({});
    rig.site.on('std-1', json({ id: 'std-2', first_name: 'Eve' }));
    const tested = await testConnection(rig.admin, project.id, 'std-1');
    expect(tested.body).toMatchObject({
      outcome: 'identity_mismatch',
      profile: null,
      match: { verdict: 'mismatch', path: 'id' },
    });
  });
});

describe('Test connection', () => {
  it('previews an unsaved mapping: the answer shape without values beside the mapped profile', async () => {
    const project = await newProject({});
    rig.site.on('u-7', nested('u-7', 'Grace', 'grace@example.com'));
    const answer = await rig.admin.request<TestConnectionResult>(
      'POST',
      `/api/admin/projects/${project.id}/integration/test`,
      { externalUserId: 'u-7', mapping: MAPPING },
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      outcome: 'ok',
      shape: 'custom',
      profile: { name: 'Grace L', email: 'grace@example.com', metadata: { plan: 'Pro' } },
      match: { verdict: 'matched', path: 'data.id' },
      unknownFields: ['meta'],
      answerShapeTruncated: false,
    });
    const rows = answer.body.answerShape;
    expect(rows.map((r) => r.path)).toEqual([
      'data',
      'data.id',
      'data.attributes',
      'data.attributes.firstName',
      'data.attributes.lastName',
      'data.attributes.emails',
      'data.attributes.emails[0]',
      'data.attributes.emails[0].email',
      'data.attributes.plan',
      'data.attributes.card',
      'meta',
      'meta.requestId',
    ]);
    expect(rows.find((r) => r.path === 'data.attributes.card')?.dropped).toBe('sensitive_key');
    const shape = JSON.stringify(rows);
    for (const value of ['Grace', 'grace@example.com', '4111', 'req-123456', 'u-7', 'Pro']) {
      expect(shape).not.toContain(value);
    }
    // A preview changes nothing: the saved mapping is still the automatic one.
    expect((await integrationOf(rig.admin, project.id)).body.mapping.preset).toBe('auto');
    const saved = await testConnection(rig.admin, project.id, 'u-7');
    // Read as the standard shape, the nested answer holds nothing Palaver knows.
    expect(saved.body).toMatchObject({
      outcome: 'ok',
      shape: 'standard',
      profile: { name: null, email: null, metadata: {} },
      unknownFields: ['data', 'meta'],
    });
    expect(saved.body.answerShape.length).toBe(rows.length);
  });

  it('refuses a preview mapping with a bad path before calling the site', async () => {
    const project = await newProject({});
    const hits = rig.site.hits.length;
    const answer = await rig.admin.request(
      'POST',
      `/api/admin/projects/${project.id}/integration/test`,
      { externalUserId: 'u-7', mapping: { ...MAPPING, fields: { email: '/a/~2' } } },
    );
    expect(answer.status).toBe(422);
    expect(rig.site.hits.length).toBe(hits);
  });
});

describe('mapping and 404 settings', () => {
  it('are saved, shown, and default to the automatic shapes and keeping profiles', async () => {
    const project = await newProject({});
    const before = (await integrationOf(rig.admin, project.id)).body;
    expect(before).toMatchObject({ mapping: { preset: 'auto' }, onNotFound: 'keep' });
    const saved = await patch(project.id, { mapping: MAPPING, onNotFound: 'clear' });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ mapping: MAPPING, onNotFound: 'clear' });
    expect((await integrationOf(rig.admin, project.id)).body).toMatchObject({
      mapping: MAPPING,
      onNotFound: 'clear',
    });
  });

  it('refuse bad paths and values with a 422 naming the field, and change nothing', async () => {
    const project = await newProject({});
    const cases: Array<[unknown, string, RegExp]> = [
      [
        { mapping: { ...MAPPING, fields: { email: 'data..email' } } },
        'mapping.fields.email',
        /empty part/,
      ],
      [{ mapping: { ...MAPPING, fields: { name: '/data/~x' } } }, 'mapping.fields.name', /~0/],
      [
        { mapping: { ...MAPPING, properties: [{ path: 'a.__proto__', property: 'p' }] } },
        'mapping.properties.0.path',
        /__proto__ cannot be mapped/,
      ],
      [{ mapping: { ...MAPPING, preset: 'jsonapi' } }, 'mapping.preset', /./],
      [{ onNotFound: 'delete' }, 'onNotFound', /./],
    ];
    for (const [body, path, message] of cases) {
      const answer = await patch(project.id, body);
      expect(answer.status, path).toBe(422);
      const fields = (
        answer.body as unknown as { error: { fields: Array<{ path: string; message: string }> } }
      ).error.fields;
      expect(fields.find((f) => f.path === path)?.message, path).toMatch(message);
    }
    expect((await integrationOf(rig.admin, project.id)).body).toMatchObject({
      mapping: { preset: 'auto' },
      onNotFound: 'keep',
    });
  });
});
