// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HEARTBEAT, MESSAGE_MAX_LENGTH } from '../../protocol/constants.js';
import type { PanelHost } from '../panel-contract.js';
import { FakeVisitorSocket } from '../../test/support/fake-socket.js';
import { conversation, message, session } from '../test-support/fixtures.js';
import { Chat } from './chat.js';
import { $agentsOnline, $connection } from './stores/connection.js';
import { $outbox } from './stores/outbox.js';
import { $thread } from './stores/thread.js';
import { $agentTyping } from './stores/typing.js';
import { $unread } from './stores/unread.js';

let chat: Chat | null = null;

function start(overrides: Parameters<typeof session>[0] = {}) {
  const host = {
    container: document.createElement('div'),
    session: session(overrides),
    close: vi.fn(),
    setUnread: vi.fn(),
    emit: vi.fn(),
    sessionLost: vi.fn(),
  } satisfies PanelHost;
  chat = new Chat(host);
  return { chat, host, ws: FakeVisitorSocket.last() };
}

/** The client id of the last message the widget sent. */
function lastSendId(ws: FakeVisitorSocket): string {
  const frame = ws.sentOfType('send').at(-1);
  if (!frame) throw new Error('nothing was sent');
  return frame.clientMessageId;
}

function setVisibility(state: DocumentVisibilityState) {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}

beforeEach(() => FakeVisitorSocket.install());
afterEach(() => {
  chat?.destroy();
  chat = null;
  setVisibility('visible');
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('Chat', () => {
  it('keeps messages written while offline as "sending" and sends them in order once ready', () => {
    const { chat, ws } = start();

    expect(chat.send('  Hello?  ')).toBeNull();
    expect(chat.send('Anyone there?')).toBeNull();

    expect($outbox.get().map(({ body, state }) => ({ body, state }))).toEqual([
      { body: 'Hello?', state: 'sending' },
      { body: 'Anyone there?', state: 'sending' },
    ]);
    ws.open();
    expect(ws.sentOfType('send')).toEqual([]);

    ws.ready();

    expect(ws.sentOfType('send')).toEqual(
      $outbox.get().map(({ clientMessageId, body }) => ({ type: 'send', clientMessageId, body })),
    );
    expect(ws.sent[0]?.type).toBe('auth');
    expect($outbox.get().every((p) => p.state === 'sending')).toBe(true);
  });

  it('gives every message its own client id', () => {
    const { chat, ws } = start();
    ws.accept();

    chat.send('one');
    chat.send('one');

    const ids = ws.sentOfType('send').map((f) => f.clientMessageId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });

  it('moves an acknowledged message from the outbox into the thread', () => {
    const { chat, ws } = start();
    ws.accept();
    chat.send('Hello');
    const clientMessageId = lastSendId(ws);

    ws.receive({
      type: 'ack',
      clientMessageId,
      message: message(1, 'visitor', { clientMessageId, body: 'Hello' }),
    });

    expect($outbox.get()).toEqual([]);
    expect($thread.get().messages.map((m) => m.body)).toEqual(['Hello']);
    // The first message started a conversation: the thread now knows it.
    expect($thread.get().conversation?.id).toBe('conv_1');
  });

  it('marks a refused message as failed, and retry sends it again with the same client id', () => {
    const { chat, ws } = start();
    ws.accept();
    chat.send('Hello');
    const clientMessageId = lastSendId(ws);

    ws.receive({
      type: 'error',
      code: 'validation_failed',
      message: 'Too long',
      clientMessageId,
    });

    expect($outbox.get()).toEqual([
      { clientMessageId, body: 'Hello', state: 'failed', error: 'Too long' },
    ]);

    chat.retry(clientMessageId);

    expect($outbox.get()).toEqual([{ clientMessageId, body: 'Hello', state: 'sending' }]);
    expect(ws.sentOfType('send')).toEqual([
      { type: 'send', clientMessageId, body: 'Hello' },
      { type: 'send', clientMessageId, body: 'Hello' },
    ]);
  });

  it('keeps a message the server could not take right now and sends it again by itself', () => {
    vi.useFakeTimers();
    try {
      const { chat, ws } = start();
      ws.accept();
      chat.send('Hello');
      const clientMessageId = lastSendId(ws);

      ws.receive({ type: 'error', code: 'unavailable', message: 'Try again', clientMessageId });
      expect($outbox.get()).toEqual([{ clientMessageId, body: 'Hello', state: 'sending' }]);

      vi.advanceTimersByTime(4000);
      expect(ws.sentOfType('send')).toEqual([
        { type: 'send', clientMessageId, body: 'Hello' },
        { type: 'send', clientMessageId, body: 'Hello' },
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('waits as long as a rate-limited send is told to before sending it again', () => {
    vi.useFakeTimers();
    const { chat, ws } = start();
    ws.accept();
    chat.send('Too fast');
    const clientMessageId = lastSendId(ws);

    ws.receive({
      type: 'error',
      code: 'rate_limited',
      message: 'You are sending messages too fast',
      clientMessageId,
      retryAfterMs: 9000,
    });
    vi.advanceTimersByTime(8999);
    expect(ws.sentOfType('send')).toHaveLength(1);
    vi.advanceTimersByTime(1);

    expect(ws.sentOfType('send')).toHaveLength(2);
    expect($outbox.get()[0]?.state).toBe('sending');
  });

  it('leaves the outbox alone for an error that answers no message', () => {
    const { chat, ws } = start();
    ws.accept();
    chat.send('Hello');

    ws.receive({ type: 'error', code: 'bad_frame', message: 'Unreadable frame' });

    expect($outbox.get().map((p) => p.state)).toEqual(['sending']);
  });

  it('never marks an unanswered message failed: after 15 s it goes again on a new connection', () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { chat, ws } = start();
    ws.accept();
    chat.send('Hello');
    chat.send('Again');
    const [first, second] = ws.sentOfType('send');
    ws.receive({
      type: 'ack',
      clientMessageId: first!.clientMessageId,
      message: message(1, 'visitor', { clientMessageId: first!.clientMessageId }),
    });

    vi.advanceTimersByTime(14_999);
    expect(FakeVisitorSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect($connection.get()).toBe('offline');
    expect($outbox.get()).toEqual([
      { clientMessageId: second!.clientMessageId, body: 'Again', state: 'sending' },
    ]);
    vi.advanceTimersByTime(500);
    const next = FakeVisitorSocket.last();
    expect(FakeVisitorSocket.instances).toHaveLength(2);
    next.accept();

    expect(next.sentOfType('send')).toEqual([second]);
    next.receive({
      type: 'ack',
      clientMessageId: second!.clientMessageId,
      message: message(2, 'visitor', { clientMessageId: second!.clientMessageId }),
    });
    expect($outbox.get()).toEqual([]);
  });

  it('notices a connection that died without a close within seconds of a send, and sends again', () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { chat, ws } = start();
    ws.accept();
    ws.answersPings = false;

    chat.send('Into the void');
    const sent = ws.sentOfType('send');
    expect(ws.sentOfType('ping')).toHaveLength(1);
    vi.advanceTimersByTime(HEARTBEAT.deadlineMs);

    expect($connection.get()).toBe('offline');
    expect($outbox.get()[0]?.state).toBe('sending');
    vi.advanceTimersByTime(500);
    FakeVisitorSocket.last().accept();
    expect(FakeVisitorSocket.instances).toHaveLength(2);
    expect(FakeVisitorSocket.last().sentOfType('send')).toEqual(sent);
  });

  it('settles a message whose ack was lost when the resumed conversation brings it back', () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const ongoing = conversation({ lastSeq: 1 });
    const { chat, ws } = start({ conversation: ongoing });
    ws.accept({ conversation: ongoing });
    ws.receive({
      type: 'history',
      conversationId: 'conv_1',
      messages: [message(1)],
      hasMore: false,
    });
    chat.send('Did this arrive?');
    const clientMessageId = lastSendId(ws);

    // The server stored it, but the connection dropped before the ack came.
    ws.serverClose(1006);
    vi.advanceTimersByTime(15_000);
    expect($outbox.get()[0]?.state).toBe('sending');
    const next = FakeVisitorSocket.last();
    next.open();
    expect(next.sent[0]).toMatchObject({ resume: [{ conversationId: 'conv_1', afterSeq: 1 }] });
    next.ready({ conversation: conversation({ lastSeq: 2 }) });
    expect(next.sentOfType('send').map((f) => f.clientMessageId)).toEqual([clientMessageId]);
    next.receive({
      type: 'message',
      message: message(2, 'visitor', { clientMessageId, body: 'Did this arrive?' }),
    });

    expect($thread.get().messages.map((m) => m.seq)).toEqual([1, 2]);
    expect($outbox.get()).toEqual([]);
  });

  it('settles the message that opened a conversation when its history brings it back', () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const { chat, ws } = start();
    ws.accept();
    chat.send('First words');
    const clientMessageId = lastSendId(ws);

    ws.serverClose(1006);
    vi.advanceTimersByTime(1000);
    const next = FakeVisitorSocket.last();
    next.accept({ conversation: conversation({ lastSeq: 1 }) });
    expect(next.sentOfType('history')).toHaveLength(1);
    next.receive({
      type: 'history',
      conversationId: 'conv_1',
      messages: [message(1, 'visitor', { clientMessageId, body: 'First words' })],
      hasMore: false,
    });
    vi.advanceTimersByTime(60_000);

    expect($thread.get().messages.map((m) => m.body)).toEqual(['First words']);
    expect($outbox.get()).toEqual([]);
  });

  it('leaves a pending message alone when another tab’s message comes in', () => {
    const { chat, ws } = start();
    ws.accept();
    chat.send('Mine');

    ws.receive({ type: 'message', message: message(1, 'visitor', { clientMessageId: 'other' }) });
    ws.receive({ type: 'message', message: message(2, 'visitor') });

    expect($outbox.get().map((p) => p.body)).toEqual(['Mine']);
  });

  it('refuses over-long messages with a readable reason and ignores blank ones', () => {
    const { chat, ws } = start();
    ws.accept();

    expect(chat.send('x'.repeat(MESSAGE_MAX_LENGTH + 1))).toBe(
      `Messages can be at most ${MESSAGE_MAX_LENGTH} characters (this one has ${MESSAGE_MAX_LENGTH + 1}).`,
    );
    expect(chat.send('  \n ')).toBeNull();
    expect(chat.send('\u200b\u200d\ufeff \u3164')).toBeNull();
    expect(chat.send(` ${'x'.repeat(MESSAGE_MAX_LENGTH)} `)).toBeNull();

    expect($outbox.get()).toHaveLength(1);
    expect(ws.sentOfType('send')).toHaveLength(1);
  });

  it('asks for the history of an ongoing conversation and takes the unread count from it', () => {
    const { host, ws } = start({ conversation: conversation({ lastSeq: 4, unread: 2 }) });
    ws.accept({ conversation: conversation({ lastSeq: 4, unread: 2 }) });

    expect(ws.sentOfType('history')).toEqual([
      { type: 'history', conversationId: 'conv_1', limit: 30 },
    ]);
    // Nothing is known yet: the badge the loader shows must not be cleared.
    expect(host.setUnread).not.toHaveBeenCalled();

    ws.receive({
      type: 'history',
      conversationId: 'conv_1',
      messages: [message(1), message(2, 'visitor'), message(3), message(4, 'system')],
      hasMore: false,
    });

    expect(host.setUnread).toHaveBeenLastCalledWith(2);
    expect($unread.get()).toBe(2);
    expect($thread.get().messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    // The panel is closed: nothing was read.
    expect(ws.sentOfType('read')).toEqual([]);
  });

  it('counts a new agent message as unread, tells the host and emits it', () => {
    const { host, ws } = start();
    ws.accept();

    const reply = message(1);
    ws.receive({ type: 'message', message: reply });

    expect(host.setUnread).toHaveBeenLastCalledWith(1);
    expect(host.emit).toHaveBeenCalledWith('message', reply);
  });

  it('does not emit the visitor’s own messages (another tab) as replies', () => {
    const { host, ws } = start();
    ws.accept();

    ws.receive({ type: 'message', message: message(1, 'visitor') });

    expect(host.emit).not.toHaveBeenCalled();
    expect($unread.get()).toBe(0);
  });

  it('sends a read receipt only while the panel is open and the page visible', () => {
    const { chat, host, ws } = start();
    ws.accept();
    ws.receive({ type: 'message', message: message(1) });

    chat.markRead();
    expect(ws.sentOfType('read')).toEqual([]);

    chat.open = true;
    setVisibility('hidden');
    chat.markRead();
    expect(ws.sentOfType('read')).toEqual([]);

    setVisibility('visible');

    expect(ws.sentOfType('read')).toEqual([{ type: 'read', conversationId: 'conv_1', seq: 1 }]);
    expect(host.setUnread).toHaveBeenLastCalledWith(0);

    // Nothing new: no second receipt.
    chat.markRead();
    expect(ws.sentOfType('read')).toHaveLength(1);

    // A reply arriving while the visitor looks is read at once.
    ws.receive({ type: 'message', message: message(2) });
    expect(ws.sentOfType('read').at(-1)).toEqual({
      type: 'read',
      conversationId: 'conv_1',
      seq: 2,
    });
  });

  it('takes reads from the visitor’s other tabs and the agents’ "seen" mark', () => {
    const { host, ws } = start();
    ws.accept();
    ws.receive({ type: 'message', message: message(1) });
    ws.receive({ type: 'message', message: message(2, 'visitor') });

    ws.receive({ type: 'read', conversationId: 'conv_1', side: 'visitor', seq: 1 });
    ws.receive({ type: 'read', conversationId: 'conv_1', side: 'agents', seq: 2 });
    ws.receive({ type: 'read', conversationId: 'conv_1', side: 'agents', seq: 1 });

    expect(host.setUnread).toHaveBeenLastCalledWith(0);
    expect($thread.get().agentsReadSeq).toBe(2);
  });

  it('resumes from the last message it has after a reconnect', () => {
    vi.useFakeTimers();
    const { ws } = start();
    ws.accept();
    ws.receive({ type: 'message', message: message(1) });
    ws.receive({ type: 'message', message: message(2) });

    ws.serverClose(1006);
    expect($connection.get()).toBe('offline');
    vi.advanceTimersByTime(1000);
    const next = FakeVisitorSocket.last();
    next.open();

    expect(FakeVisitorSocket.instances).toHaveLength(2);
    expect(next.sent[0]).toEqual({
      type: 'auth',
      token: session().visitorToken,
      resume: [{ conversationId: 'conv_1', afterSeq: 2 }],
    });
  });

  it('resumes from the last seq it holds without a gap, not from its own later message', () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { chat, ws } = start();
    ws.accept();
    ws.receive({ type: 'message', message: message(1) });
    chat.send('Mine, stored as 3');
    const clientMessageId = lastSendId(ws);
    // The agent's message 2 was lost on the way (the bus was down); the ack of 3 came through.
    ws.receive({
      type: 'ack',
      clientMessageId,
      message: message(3, 'visitor', { clientMessageId }),
    });

    ws.serverClose(1012);
    vi.advanceTimersByTime(500);
    const next = FakeVisitorSocket.last();
    next.open();
    expect(next.sent[0]).toMatchObject({ resume: [{ conversationId: 'conv_1', afterSeq: 1 }] });
    next.ready();
    next.receive({ type: 'message', message: message(2) });
    next.receive({ type: 'message', message: message(3, 'visitor', { clientMessageId }) });

    expect($thread.get().messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('follows presence, agent typing and conversation changes', () => {
    const { ws } = start();
    ws.accept({ agentsOnline: 0 });
    expect($connection.get()).toBe('online');
    expect($agentsOnline.get()).toBe(0);

    ws.receive({ type: 'presence', agentsOnline: 2 });
    ws.receive({
      type: 'typing',
      conversationId: 'conv_1',
      isTyping: true,
      author: { kind: 'agent', id: 'agt_1', name: null },
    });
    expect($agentsOnline.get()).toBe(2);
    expect($agentTyping.get()).toBe('Support');

    ws.receive({ type: 'message', message: message(1) });
    expect($agentTyping.get()).toBeNull();

    ws.receive({
      type: 'conversation',
      event: 'closed',
      conversation: conversation({ status: 'closed', lastSeq: 1 }),
    });
    expect($thread.get().conversation?.status).toBe('closed');
  });

  it('asks the loader for a new session when the token is refused (4401)', () => {
    vi.useFakeTimers();
    const { host, ws } = start();
    ws.accept();

    ws.serverClose(4401);
    vi.advanceTimersByTime(60_000);

    expect(host.sessionLost).toHaveBeenCalledOnce();
    expect(FakeVisitorSocket.instances).toHaveLength(1);
  });

  it('stops the socket and timers on destroy', () => {
    vi.useFakeTimers();
    const { chat, ws } = start();
    ws.accept();
    chat.send('Hello');
    chat.typed();

    chat.destroy();
    vi.advanceTimersByTime(60_000);

    expect(ws.closedWith).toBe(1000);
    expect(FakeVisitorSocket.instances).toHaveLength(1);
    expect($outbox.get()[0]?.state).toBe('sending');
  });

  it('sends typing once per burst and a stop after a pause', () => {
    vi.useFakeTimers();
    const { chat, ws } = start();
    ws.accept();

    chat.typed();
    chat.typed();
    vi.advanceTimersByTime(2999);
    chat.typed();
    expect(ws.sentOfType('typing')).toEqual([{ type: 'typing', isTyping: true }]);

    vi.advanceTimersByTime(3000);
    expect(ws.sentOfType('typing')).toEqual([
      { type: 'typing', isTyping: true },
      { type: 'typing', isTyping: false },
    ]);
  });
});
