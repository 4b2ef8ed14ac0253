// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiKey } from '../../../protocol/index.js';
import { mockApi, type Call, type Reply } from '../../test-support/api-mock.js';
import { at, project } from '../../test-support/fixtures.js';
import { resetAll } from '../../test-support/reset.js';
import { ApiKeysPage } from './ApiKeys.js';

afterEach(resetAll);

const SECRET = `palaver_${'Zz9'.repeat(16)}`;
const KEYS = '/api/admin/projects/acme/api-keys';

function apiKey(overrides: Partial<ApiKey> = {}): ApiKey {
  return {
    id: 'key_crm',
    projectId: 'acme',
    label: 'CRM sync',
    prefix: 'palaver_Ab12',
    roles: ['contacts:read', 'contacts:write'],
    createdBy: { id: 'agt_me', name: 'Ada' },
    createdAt: at(0),
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

const old = apiKey({
  id: 'key_old',
  label: 'Old importer',
  prefix: 'palaver_Cd34',
  roles: ['conversations:read'],
  createdBy: null,
  lastUsedAt: at(5),
  revokedAt: at(10),
});
const trial = apiKey({ id: 'key_trial', label: 'Trial', expiresAt: at(1) });

async function show(routes: Record<string, Reply | ((call: Call) => Reply)> = {}) {
  const calls = mockApi({
    'GET /api/admin/projects': { body: { items: [project()] } },
    [`GET ${KEYS}`]: { body: { apiKeys: [apiKey(), old, trial] } },
    ...routes,
  });
  render(<ApiKeysPage id="acme" />);
  await screen.findByText('CRM sync');
  return calls;
}

const rowOf = (label: string) => screen.getByText(label).closest('tr') as HTMLElement;

describe('ApiKeysPage', () => {
  it('lists keys by label and prefix with roles, creator, use, expiry and status', async () => {
    await show();
    const crm = rowOf('CRM sync');
    expect(within(crm).getByText('palaver_Ab12…')).toBeTruthy();
    expect(within(crm).getByText('contacts:write')).toBeTruthy();
    expect(within(crm).getByText('Ada')).toBeTruthy();
    expect(within(crm).getAllByText('Never')).toHaveLength(2);
    expect(within(crm).getByText('Active')).toBeTruthy();
    expect(within(crm).getByRole('button', { name: 'Revoke CRM sync' })).toBeTruthy();

    const revoked = rowOf('Old importer');
    expect(within(revoked).getByText('Revoked')).toBeTruthy();
    expect(within(revoked).queryByRole('button')).toBeNull();
    expect(within(rowOf('Trial')).getByText('Expired')).toBeTruthy();
  });

  it('shows what is missing before sending anything', async () => {
    const calls = await show();
    fireEvent.click(screen.getByRole('button', { name: 'New API key' }));
    const form = screen.getByRole('form', { name: 'New API key' });
    fireEvent.click(within(form).getByRole('button', { name: 'Create key' }));

    expect(await within(form).findByText('This field is required')).toBeTruthy();
    expect(within(form).getByText('Choose at least one role')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('creates a key and shows its secret once, with a warning, until dismissed', async () => {
    const calls = await show({
      [`POST ${KEYS}`]: (call) => {
        const body = call.body as { label: string; roles: ApiKey['roles'] };
        return {
          status: 201,
          body: {
            apiKey: apiKey({
              id: 'key_new',
              label: body.label,
              roles: body.roles,
              prefix: 'palaver_Zz9Z',
            }),
            secret: SECRET,
          },
        };
      },
    });
    fireEvent.click(screen.getByRole('button', { name: 'New API key' }));
    const form = screen.getByRole('form', { name: 'New API key' });
    fireEvent.input(within(form).getByLabelText('Label'), { target: { value: ' Nightly job ' } });
    fireEvent.click(within(form).getByLabelText(/Create, update/));
    fireEvent.click(within(form).getByLabelText(/Read contacts/));
    fireEvent.input(within(form).getByLabelText('Expires (optional)'), {
      target: { value: '2099-12-31' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Create key' }));

    const reveal = await screen.findByRole('alert', { name: 'API key Nightly job' });
    expect(reveal.textContent).toContain('you won’t see it again');
    expect(within(reveal).getByTestId('api-key-secret').textContent).toBe(SECRET);
    expect(within(reveal).getByRole('button', { name: 'Copy key' })).toBeTruthy();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      label: 'Nightly job',
      roles: ['contacts:read', 'contacts:write'],
      expiresAt: new Date(2099, 11, 31, 23, 59, 59, 999).toISOString(),
    });
    expect(within(rowOf('Nightly job')).getByText('palaver_Zz9Z…')).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'New API key' })).toBeNull();

    fireEvent.click(within(reveal).getByRole('button', { name: 'I have stored it' }));
    expect(screen.queryByText(SECRET)).toBeNull();
  });

  it('marks the expiry the server refuses on its field', async () => {
    await show({
      [`POST ${KEYS}`]: {
        status: 422,
        body: {
          error: {
            code: 'validation_failed',
            message: 'The expiry must be in the future',
            fields: [{ path: 'expiresAt', message: 'Choose a date in the future, or no expiry' }],
          },
        },
      },
    });
    fireEvent.click(screen.getByRole('button', { name: 'New API key' }));
    const form = screen.getByRole('form', { name: 'New API key' });
    fireEvent.input(within(form).getByLabelText('Label'), { target: { value: 'Late' } });
    fireEvent.click(within(form).getByLabelText(/Read conversations/));
    fireEvent.input(within(form).getByLabelText('Expires (optional)'), {
      target: { value: '2001-01-01' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Create key' }));

    expect(await within(form).findByText('Choose a date in the future, or no expiry')).toBeTruthy();
    expect(within(form).getByLabelText('Expires (optional)').getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(screen.queryByTestId('api-key-secret')).toBeNull();
  });

  it('revokes a key only after confirming', async () => {
    const calls = await show({
      [`DELETE ${KEYS}/key_crm`]: { body: apiKey({ revokedAt: at(20) }) },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Revoke CRM sync' }));
    const confirm = await screen.findByRole('alertdialog');
    expect(confirm.textContent).toContain('Revoke “CRM sync”?');
    fireEvent.click(within(confirm).getByRole('button', { name: 'Keep key' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Revoke CRM sync' }));
    fireEvent.click(
      within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Revoke key' }),
    );
    await waitFor(() => expect(within(rowOf('CRM sync')).getByText('Revoked')).toBeTruthy());
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
    expect(screen.getByRole('status').textContent).toContain('CRM sync was revoked');
  });
});
