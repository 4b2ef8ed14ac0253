// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Contact } from '../../protocol/index.js';
import { setContactFilters } from '../stores/contacts.js';
import { mockApi, type Call, type Reply } from '../test-support/api-mock.js';
import { project, siteContact } from '../test-support/fixtures.js';
import { resetAll } from '../test-support/reset.js';
import { ContactsPage } from './Contacts.js';

afterEach(resetAll);

const jane = siteContact();
const bob = siteContact({
  externalId: 'u_2',
  name: null,
  email: null,
  identity: null,
  properties: {},
  provenance: {
    fields: {},
    properties: { plan: { source: 'pull', at: jane.createdAt, detail: 'HTTP 200' } },
  },
});

const queryOf = (call: Call) => Object.fromEntries(new URL(call.path, 'http://x').searchParams);
const listCalls = (calls: Call[]) =>
  calls.filter((c) => c.path.startsWith('/api/agent/contacts')).map(queryOf);

function show(list: (query: Record<string, string>) => Reply) {
  const calls = mockApi({
    'GET /api/agent/projects': {
      body: { items: [project(), project({ id: 'docs', name: 'Docs' })] },
    },
    'GET /api/agent/contacts': (call) => list(queryOf(call)),
  });
  render(<ContactsPage />);
  return calls;
}

const page = (data: Contact[], nextCursor: string | null = null): Reply => ({
  body: { data, nextCursor },
});
const rows = () => screen.getAllByTestId('contact-row');

describe('the Contacts page', () => {
  it("lists the first project's contacts: name or id, email, identity and sources", async () => {
    const calls = show(() => page([jane, bob]));

    await waitFor(() => expect(rows()).toHaveLength(2));
    const [first, second] = rows();
    expect(within(first!).getByRole('link', { name: 'Jane Doe' }).getAttribute('href')).toBe(
      '/agent/contacts/acme/u_1',
    );
    expect(within(first!).getByText('jane@acme.test')).toBeTruthy();
    expect(within(first!).getByText('Verified')).toBeTruthy();
    expect(within(first!).getByText('Pushed')).toBeTruthy();
    expect(within(second!).getByRole('link', { name: 'u_2' })).toBeTruthy();
    expect(within(second!).getByText('Never chatted')).toBeTruthy();
    expect(within(second!).getByText('Pulled')).toBeTruthy();
    expect(within(second!).queryByText('Pushed')).toBeNull();
    expect(listCalls(calls)).toEqual([{ projectId: 'acme', limit: '50' }]);
  });

  it('searches on the server once typing pauses, and for the project chosen', async () => {
    const calls = show((q) => page(q.q === 'jane' ? [jane] : [jane, bob]));
    await waitFor(() => expect(rows()).toHaveLength(2));
    const box = screen.getByRole('searchbox', { name: 'Search contacts' });

    fireEvent.input(box, { target: { value: 'ja' } });
    fireEvent.input(box, { target: { value: 'jane' } });

    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(listCalls(calls).map((q) => q.q)).toEqual([undefined, 'jane']);

    fireEvent.change(screen.getByRole('combobox', { name: 'Project' }), {
      target: { value: 'docs' },
    });
    await waitFor(() => expect(listCalls(calls)).toHaveLength(3));
    expect(listCalls(calls)[2]).toMatchObject({ projectId: 'docs', q: 'jane' });
  });

  it('filters by identity and by source', async () => {
    const calls = show(() => page([jane]));
    await waitFor(() => expect(rows()).toHaveLength(1));

    fireEvent.change(screen.getByRole('combobox', { name: 'Identity' }), {
      target: { value: 'unseen' },
    });
    await waitFor(() => expect(listCalls(calls)).toHaveLength(2));
    fireEvent.change(screen.getByRole('combobox', { name: 'Source' }), {
      target: { value: 'push' },
    });
    await waitFor(() => expect(listCalls(calls)).toHaveLength(3));

    expect(listCalls(calls)[1]).toMatchObject({ identity: 'unseen' });
    expect(listCalls(calls)[2]).toMatchObject({ identity: 'unseen', source: 'push' });
  });

  it('loads the next page with the cursor and keeps the first', async () => {
    const calls = show((q) => (q.cursor === 'next-1' ? page([bob]) : page([jane], 'next-1')));
    await waitFor(() => expect(rows()).toHaveLength(1));

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));

    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(listCalls(calls)[1]).toMatchObject({ projectId: 'acme', cursor: 'next-1' });
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('says how to get contacts when there are none, and how to widen a search', async () => {
    const calls = show(() => page([]));

    expect(await screen.findByText('No contacts yet')).toBeTruthy();
    expect(screen.getByText(/push their users with an API key/)).toBeTruthy();

    setContactFilters({ q: 'nobody' });
    expect(await screen.findByText('No contacts match')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Clear search and filters' }));
    expect(await screen.findByText('No contacts yet')).toBeTruthy();
    expect(listCalls(calls).at(-1)).toEqual({ projectId: 'acme', limit: '50' });
  });

  it('shows why the list failed, and tries again on request', async () => {
    let fail = true;
    show(() =>
      fail
        ? { status: 503, body: { error: { code: 'unavailable', message: 'The store is busy' } } }
        : page([jane]),
    );

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The store is busy');
    fail = false;
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
