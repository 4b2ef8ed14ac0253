// @vitest-environment happy-dom
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Conversation } from '../../protocol/index.js';
import { connectSocket } from '../realtime/socket.js';
import { mockApi, type Reply } from '../test-support/api-mock.js';
import { FakeAgentSocket } from '../../test/support/fake-socket.js';
import {
  at,
  contact,
  conversation,
  detail,
  janeProfile,
  message,
} from '../test-support/fixtures.js';
import { resetAll } from '../test-support/reset.js';
import { ConversationPage } from './Conversation.js';

afterEach(resetAll);
beforeEach(() => FakeAgentSocket.install());

const jane = conversation({
  id: 'conv_1',
  visitorLabel: 'jane@acme.test',
  identity: 'claimed',
  externalUserId: 'jane@acme.test',
  lastSeq: 2,
});

const history = [
  message({ seq: 1, body: 'Hi, I was charged twice', createdAt: at(1) }),
  message({ seq: 2, body: 'Order #A-20931', createdAt: at(2) }),
];

const agentAuthor = { kind: 'agent' as const, id: 'agt_me', name: 'Ada', avatarUrl: null };

async function open(options: { conversation?: Conversation; routes?: Record<string, Reply> } = {}) {
  const c = options.conversation ?? jane;
  const calls = mockApi({
    'GET /api/agent/conversations/conv_1': { body: detail(c) },
    'GET /api/agent/conversations/conv_1/messages': { body: { items: history, hasMore: false } },
    'GET /api/agent/conversations/conv_1/cards': { body: { items: [] } },
    ...options.routes,
  });
  connectSocket();
  FakeAgentSocket.last().accept();
  render(<ConversationPage id="conv_1" />);
  await screen.findByText('Order #A-20931');
  // The side column asks for the project's cards once the conversation shows.
  await waitFor(() => expect(calls.some((c) => c.path.endsWith('/cards'))).toBe(true));
  return calls;
}

const replyBox = () => screen.getByRole('textbox', { name: /Reply to/ });

describe('ConversationPage', () => {
  it('shows the history, and the visitor panel with a labelled Profile section', async () => {
    await open();

    expect(screen.getByRole('region', { name: 'jane@acme.test' })).toBeTruthy();
    const panel = screen.getByRole('complementary', { name: 'Visitor details' });
    expect(within(panel).getByText('User id (unverified)')).toBeTruthy();
    expect(within(panel).getByText('acme.test/pricing')).toBeTruthy();
    expect(within(panel).getByText('Firefox 128 on Linux')).toBeTruthy();
    expect(within(panel).getByText('en-GB')).toBeTruthy();
    expect(within(panel).getByText('Unverified (claimed)')).toBeTruthy();
    const profile = within(panel).getByRole('region', { name: 'Profile' });
    expect(profile.textContent).toContain('No profile yet');
    expect(profile.textContent).toContain('Settings → Projects → API Integration');
  });

  it('explains an anonymous visitor instead of a profile, with no Refresh button', async () => {
    await open({ conversation: conversation({ identity: 'anonymous', lastSeq: 2 }) });

    const panel = screen.getByRole('complementary', { name: 'Visitor details' });
    const profile = within(panel).getByRole('region', { name: 'Profile' });
    expect(within(profile).getByText('Anonymous visitor')).toBeTruthy();
    expect(within(profile).queryByRole('button', { name: /Refresh/ })).toBeNull();
  });

  it('shows a fetch live while it runs and names the conversation after its result, without asking the server again', async () => {
    const calls = await open();
    const requestsBefore = calls.length;

    await act(() =>
      FakeAgentSocket.last().receive({ type: 'profile_fetching', conversationIds: ['conv_1'] }),
    );
    expect(await screen.findByText('Fetching profile…')).toBeTruthy();
    expect(screen.getByRole('button', { name: /Refresh/ })).toHaveProperty('disabled', true);

    await act(() =>
      FakeAgentSocket.last().receive({
        type: 'profile',
        visitorId: 'vis_1',
        conversationIds: ['conv_1'],
        visitorLabel: 'Jane Doe',
        contact: contact({
          profile: janeProfile({ metadata: { plan: 'Pro' } }),
          fetchedAt: new Date().toISOString(),
          httpStatus: 200,
          latencyMs: 143,
          lastAttempt: {
            at: new Date().toISOString(),
            outcome: 'ok',
            httpStatus: 200,
            latencyMs: 143,
            message: null,
          },
        }),
      }),
    );

    expect(await screen.findByRole('region', { name: 'Jane Doe' })).toBeTruthy();
    const panel = screen.getByRole('complementary', { name: 'Visitor details' });
    expect(within(panel).getByRole('heading', { name: 'Jane Doe' })).toBeTruthy();
    expect(screen.getByTestId('provenance').textContent).toBe(
      'from Acme API · just now · HTTP 200 · 143 ms',
    );
    expect(screen.queryByText('Fetching profile…')).toBeNull();
    expect(calls.slice(requestsBefore)).toEqual([]);
  });

  it('refreshes the profile on demand and shows the new answer', async () => {
    const now = new Date().toISOString();
    const calls = await open({
      routes: {
        'POST /api/agent/conversations/conv_1/profile/refresh': {
          body: contact({
            profile: janeProfile(),
            fetchedAt: now,
            httpStatus: 200,
            latencyMs: 88,
            lastAttempt: { at: now, outcome: 'ok', httpStatus: 200, latencyMs: 88, message: null },
          }),
        },
      },
    });

    // Hold the answer back to see the panel while the fetch runs.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const answer = globalThis.fetch;
    vi.stubGlobal('fetch', async (input: string, init?: RequestInit) => {
      if (input.endsWith('/profile/refresh')) await gate;
      return answer(input, init);
    });

    const refresh = screen.getByRole('button', { name: /Refresh/ });
    fireEvent.click(refresh);
    await waitFor(() => expect(refresh).toHaveProperty('disabled', true));
    expect(screen.getByText('Fetching profile…')).toBeTruthy();
    release();

    expect((await screen.findByTestId('provenance')).textContent).toBe(
      'from Acme API · just now · HTTP 200 · 88 ms',
    );
    expect(screen.getByRole('region', { name: 'Jane Doe' })).toBeTruthy();
    expect(refresh).toHaveProperty('disabled', false);
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.path).toBe('/api/agent/conversations/conv_1/profile/refresh');
    expect(post?.headers['X-CSRF-Token']).toBeUndefined();
  });

  it('shows why a refresh was refused (409) and lets the agent try again', async () => {
    await open({
      routes: {
        'POST /api/agent/conversations/conv_1/profile/refresh': {
          status: 409,
          body: {
            error: {
              code: 'conflict',
              message: 'The API integration of this project is off: an admin can turn it on',
            },
          },
        },
      },
    });

    fireEvent.click(screen.getByRole('button', { name: /Refresh/ }));

    expect((await screen.findByRole('alert')).textContent).toBe(
      'The API integration of this project is off: an admin can turn it on',
    );
    expect(screen.getByRole('button', { name: /Refresh/ })).toHaveProperty('disabled', false);
    expect(screen.queryByText('Fetching profile…')).toBeNull();
  });

  it('tells the server it read the latest message when the agent looks at it', async () => {
    await open();

    await waitFor(() =>
      expect(FakeAgentSocket.last().sentOfType('read')).toEqual([
        { type: 'read', conversationId: 'conv_1', seq: 2 },
      ]),
    );
  });

  it('sends a reply on Enter, shows it as sending, then as delivered after the ack', async () => {
    await open();

    fireEvent.input(replyBox(), { target: { value: '  Refunded!  ' } });
    fireEvent.keyDown(replyBox(), { key: 'Enter' });

    const [send] = FakeAgentSocket.last().sentOfType('send');
    expect(send).toMatchObject({ type: 'send', conversationId: 'conv_1', body: 'Refunded!' });
    expect((await screen.findByTestId('pending-message')).textContent).toContain('Sending…');
    expect((replyBox() as HTMLTextAreaElement).value).toBe('');

    await act(() =>
      FakeAgentSocket.last().receive({
        type: 'ack',
        clientMessageId: send!.clientMessageId,
        message: message({
          seq: 3,
          author: agentAuthor,
          body: 'Refunded!',
          clientMessageId: send!.clientMessageId,
          createdAt: at(3),
        }),
      }),
    );

    await waitFor(() => expect(screen.queryByTestId('pending-message')).toBeNull());
    expect(screen.getAllByTestId('message').at(-1)?.textContent).toContain('Refunded!');
  });

  it('keeps Shift+Enter for a new line and does not send empty replies', async () => {
    await open();

    fireEvent.input(replyBox(), { target: { value: 'Line one' } });
    const shiftEnter = fireEvent.keyDown(replyBox(), { key: 'Enter', shiftKey: true });
    fireEvent.input(replyBox(), { target: { value: '   ' } });
    fireEvent.keyDown(replyBox(), { key: 'Enter' });

    expect(shiftEnter).toBe(true);
    expect(FakeAgentSocket.last().sentOfType('send')).toEqual([]);
    expect(screen.getByRole('button', { name: 'Send' })).toHaveProperty('disabled', true);
  });

  it('offers Retry when the server rejects a reply, and resends with the same id', async () => {
    await open();
    fireEvent.input(replyBox(), { target: { value: 'Hello?' } });
    fireEvent.keyDown(replyBox(), { key: 'Enter' });
    const [send] = FakeAgentSocket.last().sentOfType('send');

    await act(() =>
      FakeAgentSocket.last().receive({
        type: 'error',
        code: 'conversation_closed',
        message: 'This conversation is closed',
        clientMessageId: send!.clientMessageId,
      }),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Retry' }));

    const sends = FakeAgentSocket.last().sentOfType('send');
    expect(sends).toHaveLength(2);
    expect(sends[1]?.clientMessageId).toBe(send!.clientMessageId);
  });

  it('shows the visitor typing, and tells the visitor when the agent types', async () => {
    await open();

    await act(() =>
      FakeAgentSocket.last().receive({
        type: 'typing',
        conversationId: 'conv_1',
        isTyping: true,
        author: { kind: 'visitor', id: 'vis_1', name: null },
      }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('typing').textContent).toBe('jane@acme.test is typing…'),
    );

    fireEvent.input(replyBox(), { target: { value: 'Let me check' } });
    expect(FakeAgentSocket.last().sentOfType('typing')).toEqual([
      { type: 'typing', conversationId: 'conv_1', isTyping: true },
    ]);

    fireEvent.keyDown(replyBox(), { key: 'Enter' });
    expect(FakeAgentSocket.last().sentOfType('typing').at(-1)).toEqual({
      type: 'typing',
      conversationId: 'conv_1',
      isTyping: false,
    });
  });

  it('closes the conversation, then offers to reopen it instead of the reply box', async () => {
    const calls = await open({
      routes: {
        'POST /api/agent/conversations/conv_1/close': { body: { ...jane, status: 'closed' } },
        'POST /api/agent/conversations/conv_1/reopen': { body: { ...jane, status: 'open' } },
      },
    });

    fireEvent.click(screen.getByRole('button', { name: 'Close' }));

    expect(await screen.findByText('This conversation is closed.')).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: /Reply to/ })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Reopen to reply' }));
    expect(await screen.findByRole('textbox', { name: /Reply to/ })).toBeTruthy();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toContain(
      'POST /api/agent/conversations/conv_1/reopen',
    );
  });

  it('loads earlier messages page by page, before the oldest one shown', async () => {
    const calls = mockApi({
      'GET /api/agent/conversations/conv_1': { body: detail(jane) },
      'GET /api/agent/conversations/conv_1/messages?limit=50': {
        body: { items: history, hasMore: true },
      },
      'GET /api/agent/conversations/conv_1/messages?beforeSeq=1&limit=50': {
        body: { items: [message({ seq: 0, body: 'Hello?', createdAt: at(0) })], hasMore: false },
      },
    });
    connectSocket();
    FakeAgentSocket.last().accept();
    render(<ConversationPage id="conv_1" />);

    fireEvent.click(await screen.findByRole('button', { name: 'Load earlier messages' }));

    expect(await screen.findByText('Hello?')).toBeTruthy();
    expect(calls.filter((c) => c.path.includes('/messages')).at(-1)?.path).toBe(
      '/api/agent/conversations/conv_1/messages?beforeSeq=1&limit=50',
    );
    expect(screen.queryByRole('button', { name: 'Load earlier messages' })).toBeNull();
    expect(screen.getByText('This is the start of the conversation.')).toBeTruthy();
  });

  it('says so when the conversation does not exist or is not the agent’s to see', async () => {
    mockApi({});
    render(<ConversationPage id="conv_1" />);

    expect(await screen.findByText('Conversation not found')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to the inbox' }).getAttribute('href')).toBe(
      '/agent/',
    );
  });

  describe('cards', () => {
    const orders = {
      version: 1,
      components: [
        { type: 'text', text: 'Order A-1001 · €249' },
        { type: 'button', text: 'Refund', action: 'refund:A-1001', confirm: 'Refund €249?' },
      ],
    };
    const cards = (actions: Reply): Record<string, Reply> => ({
      'GET /api/agent/conversations/conv_1/cards': {
        body: {
          items: [
            { id: 'card_1', name: 'Orders' },
            { id: 'card_2', name: 'Billing' },
          ],
        },
      },
      'GET /api/agent/conversations/conv_1/cards/card_1': {
        body: { status: 'ok', card: orders, fetchedAt: at(3), cached: false },
      },
      'GET /api/agent/conversations/conv_1/cards/card_2': {
        body: {
          status: 'error',
          errorClass: 'timeout',
          message: 'The site did not answer within 10 s',
          logId: 'clog_1',
        },
      },
      'POST /api/agent/conversations/conv_1/cards/card_1/actions': actions,
    });

    it('shows each card in its own frame, a failing one with its reason and where to look', async () => {
      await open({ routes: cards({ status: 500 }) });
      const panel = screen.getByRole('complementary', { name: 'Visitor details' });
      const frame = await within(panel).findByRole('region', { name: 'Orders' });
      expect(await within(frame).findByText('Order A-1001 · €249')).toBeTruthy();
      const billing = within(panel).getByRole('region', { name: 'Billing' });
      expect((await within(billing).findByRole('alert')).textContent).toContain(
        'The site did not answer within 10 s',
      );
      expect(billing.textContent).toContain('card log');
    });

    it('asks to confirm, sends the click once with its key, and shows the result and the note', async () => {
      const note = message({
        seq: 3,
        body: 'Order A-1001 refunded',
        author: agentAuthor,
        createdAt: at(4),
        visibility: 'agents',
      });
      const calls = await open({
        routes: cards({
          body: {
            status: 'ok',
            result: { status: 'success', message: 'Refunded €249' },
            note,
            card: { version: 1, components: [{ type: 'badge', text: 'Refunded' }] },
          },
        }),
      });
      const frame = await screen.findByRole('region', { name: 'Orders' });
      fireEvent.click(await within(frame).findByRole('button', { name: 'Refund' }));
      const dialog = screen.getByRole('dialog', { name: 'Refund?' });
      expect(calls.some((c) => c.method === 'POST')).toBe(false);
      fireEvent.click(within(dialog).getByRole('button', { name: 'Refund' }));

      expect(await within(frame).findByText('Refunded €249')).toBeTruthy();
      expect(within(frame).getByText('Refunded')).toBeTruthy();
      const posts = calls.filter((c) => c.method === 'POST');
      expect(posts).toHaveLength(1);
      expect(posts[0]?.body).toMatchObject({
        action: 'refund:A-1001',
        inputs: {},
        idempotencyKey: expect.stringMatching(/^a_[0-9a-f]{32}$/) as unknown,
      });
      const shown = await screen.findByTestId('note');
      expect(shown.textContent).toContain('Internal note · only agents see this');
      expect(shown.textContent).toContain('Order A-1001 refunded');
      expect(shown.textContent).toContain('Ada used a card');
    });
  });
});
