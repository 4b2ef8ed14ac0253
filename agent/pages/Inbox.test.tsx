// @vitest-environment happy-dom
import { render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectSocket } from '../realtime/socket.js';
import { loadInbox } from '../stores/inbox.js';
import { mockApi } from '../test-support/api-mock.js';
import { FakeAgentSocket } from '../../test/support/fake-socket.js';
import { at, conversation, message } from '../test-support/fixtures.js';
import { resetAll } from '../test-support/reset.js';
import { Inbox } from './Inbox.js';

afterEach(resetAll);
beforeEach(() => FakeAgentSocket.install());

const rows = () => screen.getAllByTestId('conversation-row');

const list = [
  conversation({
    id: 'conv_a',
    visitorLabel: 'jane@acme.test',
    identity: 'verified',
    unreadForAgents: 3,
    lastActivityAt: at(30),
    lastMessage: { seq: 4, authorKind: 'visitor', body: 'Where is my order?', createdAt: at(30) },
    lastSeq: 4,
  }),
  conversation({
    id: 'conv_b',
    visitorLabel: 'cust_77',
    identity: 'claimed',
    unreadForAgents: 0,
    lastActivityAt: at(20),
    lastMessage: { seq: 2, authorKind: 'agent', body: 'Done!', createdAt: at(20) },
    lastSeq: 2,
  }),
  conversation({ id: 'conv_c', visitorLabel: 'Visitor 9F3E', lastActivityAt: at(10) }),
];

async function showInbox() {
  mockApi({ 'GET /api/agent/conversations': { body: { items: list, nextCursor: null } } });
  render(<Inbox />);
  await loadInbox('open');
  await waitFor(() => expect(rows()).toHaveLength(3));
}

describe('Inbox', () => {
  it('lists conversations with identity badges in words, previews and unread counts', async () => {
    await showInbox();
    const [first, second, third] = rows();

    expect(within(first!).getByText('jane@acme.test')).toBeTruthy();
    expect(within(first!).getByText('Verified')).toBeTruthy();
    expect(within(first!).getByTestId('unread').textContent).toBe('3, 3 unread');
    expect(first!.textContent).toContain('3 unread');
    expect(within(first!).getByText('Where is my order?')).toBeTruthy();
    expect(within(second!).getByText('Unverified')).toBeTruthy();
    expect(within(second!).getByText('You: Done!')).toBeTruthy();
    expect(within(second!).queryByTestId('unread')).toBeNull();
    expect(within(third!).getByText('Anonymous')).toBeTruthy();
  });

  it('moves a conversation to the top and bumps its unread count on a live message', async () => {
    await showInbox();
    connectSocket();
    FakeAgentSocket.last().accept();

    FakeAgentSocket.last().receive({
      type: 'message',
      message: message({
        conversationId: 'conv_c',
        seq: 2,
        body: 'Anyone there?',
        createdAt: at(40),
      }),
    });

    await waitFor(() => expect(rows()[0]?.textContent).toContain('Visitor 9F3E'));
    expect(within(rows()[0]!).getByText('Anyone there?')).toBeTruthy();
    expect(within(rows()[0]!).getByTestId('unread').textContent).toContain('2 unread');
    expect(rows().map((r) => r.getAttribute('href'))).toEqual([
      '/agent/c/conv_c',
      '/agent/c/conv_a',
      '/agent/c/conv_b',
    ]);
  });

  it('moves a conversation to the Closed tab when the server says it closed', async () => {
    await showInbox();
    connectSocket();
    FakeAgentSocket.last().accept();

    FakeAgentSocket.last().receive({
      type: 'conversation',
      event: 'closed',
      conversation: { ...list[0]!, status: 'closed' },
    });

    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(screen.queryByText('jane@acme.test')).toBeNull();
  });

  it('renders markup in a visitor label and preview as literal text', async () => {
    const evil = '<img src=x onerror="window.pwned=1">';
    mockApi({
      'GET /api/agent/conversations': {
        body: {
          items: [
            conversation({
              visitorLabel: evil,
              lastMessage: {
                seq: 1,
                authorKind: 'visitor',
                body: `<b>${evil}</b>`,
                createdAt: at(1),
              },
            }),
          ],
          nextCursor: null,
        },
      },
    });
    const { container } = render(<Inbox />);
    await loadInbox('open');

    expect(await screen.findByText(evil)).toBeTruthy();
    expect(screen.getByText(`<b>${evil}</b>`)).toBeTruthy();
    expect(container.querySelector('img, b')).toBeNull();
  });

  it('loads the next page with the cursor and shows an empty state when nothing is open', async () => {
    const calls = mockApi({
      'GET /api/agent/conversations?status=open&limit=30': {
        body: { items: [list[0]], nextCursor: 'cur_2' },
      },
      'GET /api/agent/conversations?status=open&cursor=cur_2&limit=30': {
        body: { items: [list[1]], nextCursor: null },
      },
    });
    render(<Inbox />);
    await loadInbox('open');
    await waitFor(() => expect(rows()).toHaveLength(1));

    screen.getByRole('button', { name: 'Load more' }).click();

    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(calls.at(-1)?.path).toContain('cursor=cur_2');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('says so when there are no open conversations', async () => {
    mockApi({ 'GET /api/agent/conversations': { body: { items: [], nextCursor: null } } });
    render(<Inbox />);
    await loadInbox('open');

    expect(await screen.findByText('No open conversations')).toBeTruthy();
  });
});
