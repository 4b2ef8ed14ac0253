// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_MAPPING,
  type IntegrationMapping,
  type IntegrationSettings,
  type TestConnectionResult,
} from '../../../protocol/index.js';
import { setCsrfToken } from '../../api/request.js';
import { handleFrame } from '../../realtime/dispatch.js';
import { mockApi, type Call, type Reply } from '../../test-support/api-mock.js';
import { at, project } from '../../test-support/fixtures.js';
import { resetAll } from '../../test-support/reset.js';
import { IntegrationPage } from './Integration.js';

afterEach(resetAll);

const BASE = '/api/admin/projects/acme';

const settings = (overrides: Partial<IntegrationSettings> = {}): IntegrationSettings => ({
  projectId: 'acme',
  enabled: true,
  style: 'path',
  url: 'https://api.acme.test/users/{id}',
  paramName: 'id',
  method: 'GET',
  headers: [],
  freshnessSeconds: 300,
  requireVerified: true,
  mapping: DEFAULT_MAPPING,
  onNotFound: 'keep',
  identitySecrets: [{ id: 'sec_1', createdAt: at(0), expiresAt: null }],
  health: {
    status: 'healthy',
    failingSince: null,
    lastSuccessAt: new Date().toISOString(),
    lastError: null,
    pausedUntil: null,
  },
  updatedAt: at(0),
  ...overrides,
});

async function show(routes: Record<string, Reply | ((call: Call) => Reply)> = {}) {
  setCsrfToken('csrf-123');
  const calls = mockApi({
    'GET /api/admin/projects': { body: { items: [project()] } },
    [`GET ${BASE}/integration`]: { body: settings() },
    ...routes,
  });
  render(<IntegrationPage id="acme" />);
  await screen.findByRole('heading', { name: 'Answer mapping' });
  return calls;
}

const type = (label: string, value: string) =>
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
const save = () => fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
const patches = (calls: Call[]) => calls.filter((c) => c.method === 'PATCH');

const CUSTOM: IntegrationMapping = {
  preset: 'custom',
  fields: {
    externalId: '/data/id',
    firstName: 'data.attributes.firstName',
    email: 'data.attributes.emails[0].email',
  },
  properties: [{ path: 'data.attributes.plan', property: 'plan' }],
  includeRemaining: false,
};

function chooseCustom() {
  fireEvent.change(screen.getByLabelText('Shape'), { target: { value: 'custom' } });
}

function fillCustom() {
  chooseCustom();
  type('User id', '/data/id');
  type('First name', 'data.attributes.firstName');
  type('Email', 'data.attributes.emails[0].email');
  fireEvent.click(screen.getByRole('button', { name: 'Add property' }));
  type('Path of property 1', 'data.attributes.plan');
  type('Name of property 1', 'plan');
}

describe('the answer mapping', () => {
  it('shows path inputs only for custom paths, and refuses a bad path next to its input', async () => {
    const calls = await show();
    expect(screen.queryByLabelText('Email')).toBeNull();
    chooseCustom();
    type('Email', 'data..email');
    save();

    const input = await screen.findByLabelText('Email');
    await waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById('map-email-error')?.textContent).toMatch(/empty part/);
    expect(patches(calls)).toEqual([]);
  });

  it('saves custom paths, properties and the 404 behaviour', async () => {
    const calls = await show({
      [`PATCH ${BASE}/integration`]: { body: settings({ mapping: CUSTOM, onNotFound: 'clear' }) },
    });
    fillCustom();
    fireEvent.click(screen.getByLabelText('Clear the profile'));
    save();

    await screen.findByText('Changes saved');
    expect(patches(calls)[0]?.body).toMatchObject({ mapping: CUSTOM, onNotFound: 'clear' });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Save changes' })).toHaveProperty('disabled', true),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Remove property 1' }));
    expect(screen.getByRole('button', { name: 'Save changes' })).toHaveProperty('disabled', false);
  });

  it('previews the mapping being edited: the answer’s shape beside the profile it makes', async () => {
    const result: TestConnectionResult = {
      outcome: 'ok',
      httpStatus: 200,
      latencyMs: 12,
      message: 'HTTP 200 in 12 ms',
      url: 'https://api.acme.test/users/u-1',
      profile: {
        name: 'Ada',
        firstName: 'Ada',
        lastName: null,
        email: 'ada@example.com',
        phone: null,
        avatarUrl: null,
        metadata: { plan: 'Pro' },
      },
      shape: 'custom',
      invalidFields: [],
      droppedPii: [{ path: 'data.attributes.card', reason: 'sensitive_key' }],
      unknownFields: [],
      warnings: [],
      answerShape: [
        { path: 'data', depth: 0, type: 'object', summary: 'object (2 keys)', dropped: null },
        { path: 'data.id', depth: 1, type: 'string', summary: 'string (3 chars)', dropped: null },
        {
          path: 'data.attributes.card',
          depth: 2,
          type: 'string',
          summary: 'string (16 chars, digits)',
          dropped: 'sensitive_key',
        },
      ],
      answerShapeTruncated: false,
      match: { verdict: 'matched', path: 'data.id', message: 'data.id is the requested id' },
    };
    const calls = await show({ [`POST ${BASE}/integration/test`]: { body: result } });
    fillCustom();
    expect(screen.getByText(/previews the mapping as edited here/)).toBeTruthy();
    type('External user id', 'u-1');
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));

    const box = await screen.findByTestId('test-result');
    expect(calls.find((c) => c.path.endsWith('/integration/test'))?.body).toEqual({
      externalUserId: 'u-1',
      mapping: CUSTOM,
    });
    const shape = within(box).getByTestId('answer-shape');
    expect(within(shape).getByText('data.id')).toBeTruthy();
    expect(shape.textContent).toContain('string (16 chars, digits) dropped: sensitive_key');
    expect(within(box).getByTestId('record-match').textContent).toBe(
      'Same user: data.id is the requested id.',
    );
    const mapped = within(box).getByTestId('mapped-profile');
    expect(within(mapped).getByText('Ada')).toBeTruthy();
    expect(within(mapped).getByText('Pro')).toBeTruthy();
  });

  it('shows an answer about another user as refused', async () => {
    await show({
      [`POST ${BASE}/integration/test`]: {
        body: {
          outcome: 'identity_mismatch',
          httpStatus: 200,
          latencyMs: 9,
          message: "The answer's id is not the requested id",
          url: 'https://api.acme.test/users/u-1',
          profile: null,
          shape: null,
          invalidFields: ['id'],
          droppedPii: [],
          unknownFields: [],
          warnings: [],
          answerShape: [],
          answerShapeTruncated: false,
          match: { verdict: 'mismatch', path: 'id', message: 'id names another user' },
        } satisfies TestConnectionResult,
      },
    });
    type('External user id', 'u-1');
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    const box = await screen.findByTestId('test-result');
    expect(within(box).getByText('Another user’s record')).toBeTruthy();
    expect(within(box).getByTestId('record-match').textContent).toBe(
      'Another user: id names another user; nothing would be stored.',
    );
  });

  it('updates the health banner live when admins hear the integration failing', async () => {
    await show();
    expect(screen.getByTestId('health').textContent).toContain('Healthy');
    handleFrame({
      type: 'integration_health',
      projectId: 'acme',
      previous: 'healthy',
      health: {
        status: 'failing',
        failingSince: new Date().toISOString(),
        lastSuccessAt: null,
        lastError: {
          at: new Date().toISOString(),
          outcome: 'unauthorized',
          httpStatus: 401,
          message: "HTTP 401: The site refused Palaver's credentials",
        },
        pausedUntil: null,
      },
    });
    await waitFor(() =>
      expect(screen.getByTestId('health').textContent).toContain('Failing since'),
    );
    expect(screen.getByTestId('health').textContent).toContain('HTTP 401');
  });
});
