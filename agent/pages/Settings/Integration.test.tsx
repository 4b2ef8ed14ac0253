// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_MAPPING,
  type IntegrationSettings,
  type TestConnectionResult,
} from '../../../protocol/index.js';
import { setCsrfToken } from '../../api/request.js';
import { $integrations } from '../../stores/integration.js';
import { mockApi, type Call, type Reply } from '../../test-support/api-mock.js';
import { at, project } from '../../test-support/fixtures.js';
import { resetAll } from '../../test-support/reset.js';
import { exampleRequest } from './integration/index.js';
import { IntegrationPage } from './Integration.js';

afterEach(resetAll);

function settings(overrides: Partial<IntegrationSettings> = {}): IntegrationSettings {
  return {
    projectId: 'acme',
    enabled: true,
    style: 'path',
    url: 'https://api.acme.test/users/{id}',
    paramName: 'id',
    method: 'GET',
    headers: [
      { name: 'Authorization', masked: 'Bearer ••••' },
      { name: 'X-Tenant', masked: '••••' },
    ],
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
  };
}

const BASE = '/api/admin/projects/acme';

async function show(
  routes: Record<string, Reply | ((call: Call) => Reply)> = {},
  initial = settings(),
) {
  setCsrfToken('csrf-123');
  const calls = mockApi({
    'GET /api/admin/projects': { body: { items: [project()] } },
    [`GET ${BASE}/integration`]: { body: initial },
    ...routes,
  });
  render(<IntegrationPage id="acme" />);
  await screen.findByRole('heading', { name: 'User endpoint' });
  return calls;
}

const save = () => fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
const patches = (calls: Call[]) => calls.filter((c) => c.method === 'PATCH');

describe('Settings → API Integration', () => {
  it('shows the saved settings with header values masked, never editable as text', async () => {
    await show();

    expect(screen.getByLabelText<HTMLInputElement>('Endpoint URL').value).toBe(
      'https://api.acme.test/users/{id}',
    );
    const rows = screen.getAllByTestId('header-row');
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining('AuthorizationBearer ••••'),
      expect.stringContaining('X-Tenant••••'),
    ]);
    expect(within(rows[0]!).queryByRole('textbox')).toBeNull();
    expect(screen.getByTestId('example-request').textContent).toContain(
      'GET https://api.acme.test/users/u_123',
    );
    expect(screen.getByTestId('health').textContent).toContain('Healthy');
    expect(screen.getByRole('button', { name: 'Save changes' })).toHaveProperty('disabled', true);
  });

  it('sends stored headers by name only, and a value only for replaced or new ones', async () => {
    const calls = await show({
      [`PATCH ${BASE}/integration`]: {
        body: settings({
          headers: [
            { name: 'Authorization', masked: 'Bearer ••••' },
            { name: 'X-Api-Version', masked: '••••' },
          ],
        }),
      },
    });

    fireEvent.click(screen.getByRole('button', { name: 'Replace the value of Authorization' }));
    fireEvent.input(screen.getByLabelText('New value for Authorization'), {
      target: { value: 'Bearer new-secret' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Remove X-Tenant' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add header' }));
    fireEvent.input(screen.getByLabelText('Name of header 2'), {
      target: { value: 'X-Api-Version' },
    });
    fireEvent.input(screen.getByLabelText('Value of header 2'), { target: { value: '2024-01' } });
    save();

    expect(await screen.findByText('Changes saved')).toBeTruthy();
    expect(patches(calls)[0]?.body).toMatchObject({
      headers: [
        { name: 'Authorization', value: 'Bearer new-secret' },
        { name: 'X-Api-Version', value: '2024-01' },
      ],
    });
    expect(patches(calls)[0]?.headers['X-CSRF-Token']).toBe('csrf-123');
    // Saved values go back to masks: nothing typed stays on screen.
    expect(screen.queryByDisplayValue('Bearer new-secret')).toBeNull();
    expect(screen.getAllByTestId('header-row').map((r) => r.textContent)).toEqual([
      expect.stringContaining('Bearer ••••'),
      expect.stringContaining('X-Api-Version••••'),
    ]);
  });

  it('keeps untouched headers as they are when other settings change', async () => {
    const calls = await show({ [`PATCH ${BASE}/integration`]: { body: settings() } });

    fireEvent.input(screen.getByLabelText('Freshness window (minutes)'), {
      target: { value: '15' },
    });
    fireEvent.click(screen.getByLabelText('Require verified identity'));
    save();

    await screen.findByText('Changes saved');
    expect(patches(calls)[0]?.body).toEqual({
      enabled: true,
      style: 'path',
      url: 'https://api.acme.test/users/{id}',
      paramName: 'id',
      method: 'GET',
      headers: [{ name: 'Authorization' }, { name: 'X-Tenant' }],
      freshnessSeconds: 900,
      requireVerified: false,
      mapping: DEFAULT_MAPPING,
      onNotFound: 'keep',
    });
  });

  it('asks for a value before adding a header, and sends nothing', async () => {
    const calls = await show();

    fireEvent.click(screen.getByRole('button', { name: 'Add header' }));
    fireEvent.input(screen.getByLabelText('Name of header 3'), { target: { value: 'X-Key' } });
    save();

    expect(await screen.findByText('A header needs a value')).toBeTruthy();
    expect(screen.getByLabelText('Value of header 3').getAttribute('aria-invalid')).toBe('true');
    expect(patches(calls)).toEqual([]);
  });

  it('puts the server’s 422 field errors on the URL and on the header row they name', async () => {
    await show({
      [`PATCH ${BASE}/integration`]: {
        status: 422,
        body: {
          error: {
            code: 'validation_failed',
            message: 'Use an https URL',
            fields: [
              { path: 'url', message: 'Use an https URL' },
              { path: 'headers.1.name', message: 'The header X-Tenant is listed twice' },
            ],
          },
        },
      },
    });

    fireEvent.input(screen.getByLabelText('Endpoint URL'), {
      target: { value: 'http://api.acme.test/users/{id}' },
    });
    save();

    expect(await screen.findByText('Use an https URL')).toBeTruthy();
    expect(screen.getByLabelText('Endpoint URL').getAttribute('aria-invalid')).toBe('true');
    const second = screen.getAllByTestId('header-row')[1]!;
    expect(within(second).getByText('The header X-Tenant is listed twice')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('Fix the highlighted fields.');
  });

  it('switches to the query style with a parameter name and shows the request it makes', async () => {
    await show();

    fireEvent.click(screen.getByLabelText('Query parameter'));
    expect(screen.getByLabelText<HTMLInputElement>('Endpoint URL').value).toBe(
      'https://api.acme.test/users',
    );
    fireEvent.input(screen.getByLabelText('Parameter name'), { target: { value: 'user' } });

    expect(screen.getByTestId('example-request').textContent).toContain(
      'GET https://api.acme.test/users?user=u_123',
    );
  });

  it('sends a data-sync POST to its one URL as given, the id in the body, with no URL style to pick', async () => {
    await show();

    fireEvent.click(screen.getByLabelText('POST (data sync)'));

    expect(screen.getByLabelText<HTMLInputElement>('Endpoint URL').value).toBe(
      'https://api.acme.test/users',
    );
    expect(screen.queryByLabelText('Query parameter')).toBeNull();
    expect(screen.queryByLabelText('Parameter name')).toBeNull();
    const example = screen.getByTestId('example-request').textContent;
    expect(example).toContain('POST https://api.acme.test/users');
    expect(example).not.toContain('?');
    expect(example).toContain('{"externalId": "u_123"}');
  });

  it('shows a failing integration with its last error and pause', async () => {
    const soon = new Date(Date.now() + 20_000).toISOString();
    await show(
      {},
      settings({
        health: {
          status: 'failing',
          failingSince: at(0),
          lastSuccessAt: null,
          lastError: {
            at: at(5),
            outcome: 'server_error',
            httpStatus: 503,
            message: 'The site answered HTTP 503',
          },
          pausedUntil: soon,
        },
      }),
    );

    const health = screen.getByTestId('health');
    expect(health.textContent).toMatch(/Failing since/);
    expect(health.textContent).toContain('Server error');
    expect(health.textContent).toContain('HTTP 503 · The site answered HTTP 503');
    expect(health.textContent).toMatch(/Paused until/);
    expect(within(health).getByRole('link', { name: 'Open the log' }).getAttribute('href')).toBe(
      '/agent/settings/projects/acme/log',
    );
  });

  it('shows a new identity secret once, with a warning, and keeps it nowhere', async () => {
    const calls = await show({
      [`POST ${BASE}/identity-secret`]: {
        body: {
          secret: 'sk_live_ONLY_ONCE',
          settings: settings({
            identitySecrets: [
              { id: 'sec_2', createdAt: new Date().toISOString(), expiresAt: null },
              {
                id: 'sec_1',
                createdAt: at(0),
                expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
              },
            ],
          }),
        },
      },
    });

    fireEvent.click(screen.getByRole('button', { name: 'Rotate secret…' }));
    fireEvent.change(screen.getByLabelText('Old secret keeps verifying'), {
      target: { value: '168' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Rotate secret' }));

    const reveal = await screen.findByTestId('secret-reveal');
    expect(reveal.textContent).toContain('you will not see it again');
    expect(screen.getByTestId('identity-secret').textContent).toBe('sk_live_ONLY_ONCE');
    expect(within(reveal).getByRole('button', { name: /Copy secret/ })).toBeTruthy();
    expect(calls.find((c) => c.path.endsWith('/identity-secret'))?.body).toEqual({
      graceHours: 168,
    });
    expect(await screen.findByText(/still verifies until/)).toBeTruthy();
    expect(JSON.stringify($integrations.get())).not.toContain('sk_live_ONLY_ONCE');
    // The snippets use this project's id as the audience.
    expect(screen.getByLabelText('userToken example (Node)').textContent).toContain(
      ".setAudience('acme')",
    );

    fireEvent.click(screen.getByRole('button', { name: 'I have stored it' }));
    expect(screen.queryByText('sk_live_ONLY_ONCE')).toBeNull();
  });

  it('offers Generate when the project has no secret yet', async () => {
    const calls = await show(
      {
        [`POST ${BASE}/identity-secret`]: {
          body: { secret: 'sk_first', settings: settings() },
        },
      },
      settings({ identitySecrets: [] }),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Generate secret' }));

    expect((await screen.findByTestId('identity-secret')).textContent).toBe('sk_first');
    expect(calls.find((c) => c.path.endsWith('/identity-secret'))?.body).toEqual({
      graceHours: 0,
    });
  });

  it('tests the connection and shows the parsed result, problems and profile preview', async () => {
    const result: TestConnectionResult = {
      outcome: 'ok',
      httpStatus: 200,
      latencyMs: 143.4,
      message: 'HTTP 200 in 143.4 ms',
      url: 'https://api.acme.test/users/u_1001',
      profile: {
        name: 'Alice Martin',
        firstName: 'Alice',
        lastName: 'Martin',
        email: 'alice@acme.test',
        phone: null,
        avatarUrl: null,
        metadata: { plan: 'Pro' },
      },
      shape: 'standard',
      invalidFields: [],
      droppedPii: [{ path: 'card_number', reason: 'card number' }],
      unknownFields: ['favourite_colour'],
      warnings: ['avatar_url is not https and was dropped'],
      answerShape: [],
      answerShapeTruncated: false,
      match: null,
    };
    const calls = await show({ [`POST ${BASE}/integration/test`]: { body: result } });

    fireEvent.input(screen.getByLabelText('External user id'), { target: { value: ' u_1001 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));

    const box = await screen.findByTestId('test-result');
    expect(calls.find((c) => c.path.endsWith('/integration/test'))?.body).toEqual({
      externalUserId: 'u_1001',
    });
    expect(within(box).getByText('OK')).toBeTruthy();
    expect(within(box).getByText('HTTP 200 · 143 ms')).toBeTruthy();
    expect(within(box).getByText('https://api.acme.test/users/u_1001')).toBeTruthy();
    expect(within(box).getByText('card_number — card number')).toBeTruthy();
    expect(within(box).getByText('favourite_colour')).toBeTruthy();
    expect(within(box).getByText('avatar_url is not https and was dropped')).toBeTruthy();
    expect(within(box).getByText('Alice Martin')).toBeTruthy();
    expect(within(box).getByRole('link', { name: 'alice@acme.test' })).toBeTruthy();
    expect(within(box).getByText('Pro')).toBeTruthy();
    // The attempt changed the project's health: the banner is reloaded.
    await waitFor(() =>
      expect(calls.filter((c) => c.path === `${BASE}/integration`).length).toBe(2),
    );
  });

  it('shows an invalid answer’s field paths and a 404’s meaning', async () => {
    let answer: TestConnectionResult = {
      outcome: 'invalid_response',
      httpStatus: 200,
      latencyMs: 5,
      message: 'Invalid fields: email, metadata',
      url: 'https://api.acme.test/users/u_4001',
      profile: null,
      shape: null,
      invalidFields: ['email', 'metadata'],
      droppedPii: [],
      unknownFields: [],
      warnings: [],
      answerShape: [],
      answerShapeTruncated: false,
      match: null,
    };
    await show({ [`POST ${BASE}/integration/test`]: () => ({ body: answer }) });

    fireEvent.input(screen.getByLabelText('External user id'), { target: { value: 'u_4001' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    let box = await screen.findByTestId('test-result');
    expect(within(box).getByText('Invalid answer')).toBeTruthy();
    expect(within(box).getByText('Invalid fields').nextElementSibling?.textContent).toBe(
      'emailmetadata',
    );

    answer = {
      ...answer,
      outcome: 'not_found',
      httpStatus: 404,
      message: 'The site does not know this user: showing a new profile with only the id',
      invalidFields: [],
    };
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    await waitFor(() => expect(screen.getByText('Not found (new user)')).toBeTruthy());
    box = screen.getByTestId('test-result');
    expect(box.textContent).toContain('The site does not know this user');
    expect(box.textContent).toContain('HTTP 404');
  });
});

describe('exampleRequest', () => {
  it('puts the example id in one path segment or in the query parameter', () => {
    expect(exampleRequest('path', 'https://a.test/u/{id}/profile', 'id', 'GET')).toBe(
      'GET https://a.test/u/u_123/profile',
    );
    expect(exampleRequest('query', 'https://a.test/users?v=2', 'uid', 'GET')).toBe(
      'GET https://a.test/users?v=2&uid=u_123',
    );
    expect(exampleRequest('query', 'https://a.test/sync?v=2', 'uid', 'POST')).toBe(
      'POST https://a.test/sync?v=2',
    );
    expect(exampleRequest('path', 'https://a.test/users/{id}', 'id', 'POST')).toBeNull();
    expect(exampleRequest('path', 'https://a.test/users', 'id', 'GET')).toBeNull();
    expect(exampleRequest('query', 'not a url', 'id', 'GET')).toBeNull();
  });
});
