// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContactDetail } from '../../protocol/index.js';
import { handleFrame } from '../realtime/dispatch.js';
import { $contacts } from '../stores/contacts.js';
import { $projects } from '../stores/projects.js';
import { $route } from '../stores/route.js';
import { mockApi, type Call, type Reply } from '../test-support/api-mock.js';
import {
  contactConversation,
  contactDetail,
  project,
  siteContact,
} from '../test-support/fixtures.js';
import { resetAll } from '../test-support/reset.js';
import { ContactPage } from './Contact.js';

afterEach(resetAll);

const MINUTE = 60_000;
const minutesAgo = (n: number) => new Date(Date.now() - n * MINUTE).toISOString();

const jane = siteContact({
  name: 'Jane Doe',
  email: 'jane@acme.test',
  phone: '+14155550123',
  properties: { plan: 'Pro', seats: 12 },
  provenance: {
    fields: {
      name: { source: 'push', at: minutesAgo(3), detail: 'CRM sync' },
      email: { source: 'pull', at: minutesAgo(60 * 24), detail: 'HTTP 200' },
      phone: { source: 'token', at: minutesAgo(1), detail: null },
    },
    properties: {
      plan: { source: 'push', at: minutesAgo(3), detail: 'CRM sync' },
      seats: { source: 'pull', at: minutesAgo(10), detail: 'HTTP 200' },
    },
  },
});
const john = siteContact({ externalId: 'u_2', name: 'John Roe', email: 'john@acme.test' });
const two = [contactConversation(), contactConversation({ id: 'conv_2', status: 'closed' })];
const PATH = '/api/agent/projects/acme/contacts/u_1';

async function show(
  options: {
    admin?: boolean;
    detail?: ContactDetail;
    routes?: Record<string, Reply | ((call: Call) => Reply)>;
  } = {},
) {
  const calls = mockApi({
    [`GET ${PATH}`]: { body: options.detail ?? contactDetail(jane, two) },
    ...options.routes,
  });
  $projects.set([project()]);
  render(<ContactPage projectId="acme" externalId="u_1" isAdmin={options.admin ?? true} />);
  await screen.findByRole('heading', { name: 'Jane Doe', level: 1 });
  return calls;
}

const dialog = () => screen.getByRole('dialog');

describe('a contact’s page', () => {
  it('shows every value with where and when it came from, and the conversations', async () => {
    await show();

    const profile = screen.getByRole('region', { name: 'Profile' });
    const nameTag = within(profile).getByText('push · CRM sync · 3 min ago');
    expect(nameTag.closest('[title]')?.getAttribute('title')).toMatch(
      /^Pushed with the API key “CRM sync” · /,
    );
    expect(within(profile).getByText('pull · HTTP 200 · yesterday')).toBeTruthy();
    expect(within(profile).getByText('token · 1 min ago')).toBeTruthy();
    expect(within(profile).getByRole('link', { name: 'jane@acme.test' })).toBeTruthy();

    const properties = screen.getByRole('region', { name: 'Properties' });
    expect(within(properties).getByText('Pro')).toBeTruthy();
    expect(within(properties).getByText('push · CRM sync · 3 min ago')).toBeTruthy();
    expect(within(properties).getByText('pull · HTTP 200 · 10 min ago')).toBeTruthy();

    const conversations = screen.getByRole('region', { name: /Conversations/ });
    const links = within(conversations).getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href')).sort()).toEqual([
      '/agent/c/conv_1',
      '/agent/c/conv_2',
    ]);
    expect(screen.getByText('Verified')).toBeTruthy();
    expect(screen.queryByTestId('not-found-at-site')).toBeNull();
  });

  it('marks a contact the site no longer knows', async () => {
    await show({ detail: contactDetail({ ...jane, notFoundAtSiteAt: minutesAgo(5) }) });

    expect(screen.getByTestId('not-found-at-site').textContent).toMatch(
      /Not found at the site\. Acme's user endpoint answered “not found” for this id 5 min ago/,
    );
  });

  it('offers Delete and Merge to admins only', async () => {
    await show({ admin: false });

    expect(screen.queryByRole('button', { name: /Delete/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Merge/ })).toBeNull();
  });

  it('says what deleting does, waits for the typed id, and can erase the messages too', async () => {
    const calls = await show({
      routes: {
        [`DELETE /api/admin/projects/acme/contacts/u_1`]: {
          body: { externalId: 'u_1', conversations: 2, messagesErased: true },
        },
      },
    });

    fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    const d = dialog();
    expect(within(d).getByRole('heading', { name: 'Delete Jane Doe?' })).toBeTruthy();
    expect(within(d).getByTestId('erase-summary').textContent).toBe(
      "Erases Jane Doe's profile, properties and identity data. Their 2 conversations stay, marked “Deleted contact”.",
    );
    expect(within(d).getByText('This cannot be undone.')).toBeTruthy();
    const erase = within(d).getByRole('button', { name: 'Delete contact' });
    expect(erase).toHaveProperty('disabled', true);

    fireEvent.input(within(d).getByLabelText(/to confirm/), { target: { value: 'u_' } });
    expect(erase).toHaveProperty('disabled', true);
    fireEvent.input(within(d).getByLabelText(/to confirm/), { target: { value: 'u_1' } });
    fireEvent.click(
      within(d).getByRole('checkbox', { name: 'Also erase the messages of those conversations' }),
    );
    fireEvent.click(erase);

    await waitFor(() => expect($route.get()).toEqual({ name: 'contacts' }));
    const sent = calls.filter((c) => c.method === 'DELETE');
    expect(sent.map((c) => c.path)).toEqual([
      '/api/admin/projects/acme/contacts/u_1?eraseMessages=true',
    ]);
    expect($contacts.get().notice).toBe(
      'Jane Doe was deleted, with the messages of their 2 conversations. The conversations stay, marked “Deleted contact”.',
    );
  });

  it('keeps the messages unless asked, and closes on Escape without deleting', async () => {
    const calls = await show({
      routes: {
        [`DELETE /api/admin/projects/acme/contacts/u_1`]: {
          body: { externalId: 'u_1', conversations: 2, messagesErased: false },
        },
      },
    });

    fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    fireEvent(dialog(), new Event('cancel', { cancelable: true }));
    expect(screen.queryByRole('dialog')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    fireEvent.input(within(dialog()).getByLabelText(/to confirm/), { target: { value: 'u_1' } });
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Delete contact' }));

    await waitFor(() => expect($route.get()).toEqual({ name: 'contacts' }));
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([
      '/api/admin/projects/acme/contacts/u_1?eraseMessages=false',
    ]);
    expect($contacts.get().notice).toBe(
      'Jane Doe was deleted. Their 2 conversations stay, marked “Deleted contact”.',
    );
  });

  it('says why a delete failed, keeps the dialog open, and lets the admin try again', async () => {
    let failures = 1;
    const calls = await show({
      routes: {
        [`DELETE /api/admin/projects/acme/contacts/u_1`]: () =>
          failures-- > 0
            ? {
                status: 503,
                body: { error: { code: 'unavailable', message: 'The database is busy; retry' } },
              }
            : { body: { externalId: 'u_1', conversations: 2, messagesErased: false } },
      },
    });

    fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    fireEvent.input(within(dialog()).getByLabelText(/to confirm/), { target: { value: 'u_1' } });
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Delete contact' }));

    expect((await within(dialog()).findByRole('alert')).textContent).toBe(
      'The database is busy; retry',
    );
    const erase = within(dialog()).getByRole('button', { name: 'Delete contact' });
    expect(erase).toHaveProperty('disabled', false);
    fireEvent.click(erase);
    await waitFor(() => expect($route.get()).toEqual({ name: 'contacts' }));
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(2);
  });

  it('merges a contact found by search, after saying what will happen', async () => {
    let merged = false;
    const calls = await show({
      routes: {
        [`GET ${PATH}`]: () => ({
          body: contactDetail(jane, merged ? [...two, contactConversation({ id: 'conv_9' })] : two),
        }),
        'GET /api/agent/contacts': { body: { data: [jane, john], nextCursor: null } },
        [`POST ${PATH.replace('/agent/', '/admin/')}/merge`]: () => {
          merged = true;
          return {
            body: { contact: jane, mergedFrom: 'u_2', conversationsMoved: 1, alreadyMerged: false },
          };
        },
      },
    });

    fireEvent.click(screen.getByRole('button', { name: 'Merge…' }));
    const d = dialog();
    fireEvent.input(within(d).getByLabelText('Other contact'), { target: { value: 'ro' } });
    const picks = await within(d).findByRole('list', { name: 'Matching contacts' });
    // The contact itself is never offered.
    expect(within(picks).getAllByRole('button')).toHaveLength(1);
    fireEvent.click(within(picks).getByRole('button', { name: /John Roe/ }));

    expect(within(d).getByTestId('merge-summary').textContent).toBe(
      "John Roe will be merged into Jane Doe: this contact's values win conflicts, properties are combined, John Roe's conversations move here, and John Roe is deleted. This cannot be undone.",
    );
    fireEvent.click(within(d).getByRole('button', { name: 'Merge' }));

    expect((await screen.findByRole('status')).textContent).toBe(
      'John Roe was merged into Jane Doe: 1 conversation moved here.',
    );
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([
      { fromExternalId: 'u_2' },
    ]);
    const conversations = screen.getByRole('region', { name: /Conversations/ });
    await waitFor(() => expect(within(conversations).getAllByRole('link')).toHaveLength(3));
  });

  it('refuses to merge a contact into itself before asking the server', async () => {
    const calls = await show();

    fireEvent.click(screen.getByRole('button', { name: 'Merge…' }));
    fireEvent.input(within(dialog()).getByLabelText('Other contact'), {
      target: { value: 'u_1' },
    });

    expect(within(dialog()).getByText(/cannot be merged into itself/)).toBeTruthy();
    expect(within(dialog()).getByRole('button', { name: 'Merge' })).toHaveProperty(
      'disabled',
      true,
    );
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('re-reads itself when a live frame touches one of its conversations', async () => {
    let name = 'Jane Doe';
    const calls = await show({
      routes: { [`GET ${PATH}`]: () => ({ body: contactDetail({ ...jane, name }, two) }) },
    });

    name = 'Jane Smith';
    handleFrame({ type: 'visitor', conversationIds: ['conv_other'], visitorId: 'vis_9' });
    handleFrame({ type: 'visitor', conversationIds: ['conv_2'], visitorId: 'vis_1' });

    expect(await screen.findByRole('heading', { name: 'Jane Smith', level: 1 })).toBeTruthy();
    expect(calls.filter((c) => c.path === PATH)).toHaveLength(2);
  });

  it('says so when the contact is gone', async () => {
    mockApi({
      [`GET ${PATH}`]: {
        status: 404,
        body: { error: { code: 'not_found', message: 'No such contact' } },
      },
    });
    render(<ContactPage projectId="acme" externalId="u_1" isAdmin />);

    expect(await screen.findByText('Contact not found')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to contacts' })).toBeTruthy();
  });
});
