// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../../protocol/index.js';
import { mockApi, type Call, type Reply } from '../../test-support/api-mock.js';
import { agent, project } from '../../test-support/fixtures.js';
import { resetAll } from '../../test-support/reset.js';
import { AgentsPage } from './Agents.js';

afterEach(resetAll);

const me = agent();
const bob = agent({
  id: 'agt_bob',
  name: 'Bob Stone',
  email: 'bob@example.com',
  role: 'agent',
  projectIds: ['acme'],
});

async function show(routes: Record<string, Reply | ((call: Call) => Reply)> = {}) {
  const calls = mockApi({
    'GET /api/admin/agents': { body: { items: [me, bob] } },
    'GET /api/admin/projects': {
      body: { items: [project(), project({ id: 'docs', name: 'Docs' })] },
    },
    ...routes,
  });
  render(<AgentsPage me={me} />);
  await screen.findByText('Bob Stone');
  return calls;
}

const rowOf = (name: string) => screen.getByText(name).closest('tr') as HTMLElement;

describe('AgentsPage', () => {
  it('lists agents with role, projects and status', async () => {
    await show();

    const bobRow = rowOf('Bob Stone');
    expect(within(bobRow).getByText('Agent')).toBeTruthy();
    expect(within(bobRow).getByText('Acme')).toBeTruthy();
    expect(within(bobRow).getByText('Active')).toBeTruthy();
    expect(within(rowOf('Ada')).getByText('All projects')).toBeTruthy();
    expect(within(rowOf('Ada')).getByText('You')).toBeTruthy();
  });

  it('shows what is wrong with a new agent before sending anything', async () => {
    const calls = await show();
    fireEvent.click(screen.getByRole('button', { name: 'Add agent' }));
    const form = screen.getByRole('form', { name: 'New agent' });

    fireEvent.input(within(form).getByLabelText('Email'), { target: { value: 'grace@' } });
    fireEvent.input(within(form).getByLabelText('Initial password'), {
      target: { value: 'short' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Add agent' }));

    expect(await within(form).findByText('This field is required')).toBeTruthy();
    expect(within(form).getByText('Enter a valid email')).toBeTruthy();
    expect(within(form).getByText('Use at least 10 characters')).toBeTruthy();
    expect(within(form).getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('creates an agent in the chosen projects and shows the server’s refusal otherwise', async () => {
    let attempt = 0;
    const calls = await show({
      'POST /api/admin/agents': (call) => {
        attempt++;
        if (attempt === 1) {
          return {
            status: 409,
            body: { error: { code: 'conflict', message: 'An agent with this email exists' } },
          };
        }
        const body = call.body as Agent;
        return { status: 201, body: agent({ ...body, id: 'agt_grace', active: true }) };
      },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add agent' }));
    const form = screen.getByRole('form', { name: 'New agent' });
    fireEvent.input(within(form).getByLabelText('Name'), { target: { value: 'Grace Hopper' } });
    fireEvent.input(within(form).getByLabelText('Email'), {
      target: { value: 'grace@example.com' },
    });
    fireEvent.input(within(form).getByLabelText('Initial password'), {
      target: { value: 'compilers-4-all' },
    });
    fireEvent.click(within(form).getByLabelText('Docs'));

    fireEvent.click(within(form).getByRole('button', { name: 'Add agent' }));
    expect((await within(form).findByRole('alert')).textContent).toBe(
      'An agent with this email exists',
    );

    fireEvent.click(within(form).getByRole('button', { name: 'Add agent' }));
    expect(await screen.findByText('Grace Hopper')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Grace Hopper can now sign in');
    expect(calls.filter((c) => c.method === 'POST').at(-1)?.body).toEqual({
      name: 'Grace Hopper',
      email: 'grace@example.com',
      password: 'compilers-4-all',
      role: 'agent',
      projectIds: ['docs'],
    });
  });

  it('deactivates an agent only after confirming', async () => {
    const calls = await show({
      'PATCH /api/admin/agents/agt_bob': (call) => ({
        body: { ...bob, ...(call.body as object) },
      }),
    });
    fireEvent.click(screen.getByRole('button', { name: 'Edit Bob Stone' }));

    fireEvent.click(await screen.findByRole('button', { name: 'Deactivate…' }));
    const confirm = await screen.findByRole('alertdialog');
    expect(confirm.textContent).toContain('Deactivate Bob Stone?');
    expect(calls.filter((c) => c.method === 'PATCH')).toEqual([]);

    fireEvent.click(within(confirm).getByRole('button', { name: 'Deactivate' }));

    await waitFor(() => expect(within(rowOf('Bob Stone')).getByText('Deactivated')).toBeTruthy());
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ active: false });
    expect(screen.getByRole('status').textContent).toContain('Bob Stone was deactivated.');
  });

  it('sends only what changed when editing role and projects', async () => {
    const calls = await show({
      'PATCH /api/admin/agents/agt_bob': (call) => ({
        body: { ...bob, ...(call.body as object) },
      }),
    });
    fireEvent.click(screen.getByRole('button', { name: 'Edit Bob Stone' }));
    const form = await screen.findByRole('form', { name: 'Edit Bob Stone' });

    fireEvent.click(within(form).getByLabelText('Docs'));
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(within(rowOf('Bob Stone')).getByText('Docs')).toBeTruthy());
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({
      projectIds: ['acme', 'docs'],
    });
  });

  it('does not let an admin deactivate or demote themselves', async () => {
    await show();
    fireEvent.click(screen.getByRole('button', { name: 'Edit Ada' }));
    const form = await screen.findByRole('form', { name: 'Edit Ada' });

    expect(within(form).queryByRole('button', { name: 'Deactivate…' })).toBeNull();
    expect(within(form).getByText('You cannot deactivate yourself.')).toBeTruthy();
    expect(within(form).getByLabelText('Role')).toHaveProperty('disabled', true);
  });
});
