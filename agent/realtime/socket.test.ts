// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { $connection } from '../stores/connection.js';
import { $inbox, loadInbox } from '../stores/inbox.js';
import { $outbox, enqueue } from '../stores/outbox.js';
import { $session } from '../stores/session.js';
import { loadThread } from '../stores/threads.js';
import { mockApi } from '../test-support/api-mock.js';
import { installFakeWebSocket, lastSocket, FakeWebSocket } from '../test-support/fake-socket.js';
import { authSession, conversation, message } from '../test-support/fixtures.js';
import { resetAll } from '../test-support/reset.js';
import { connectSocket, transmit } from './socket.js';

afterEach(resetAll);
beforeEach(installFakeWebSocket);

describe('agent socket', () => {
  it('connects to /ws/agent on this host, without anything secret in the URL', () => {
    connectSocket();

    expect(lastSocket().url).toBe(`ws://${location.host}/ws/agent`);
    expect($connection.get()).toBe('connecting');
    lastSocket().accept();
    expect($connection.get()).toBe('online');
  });

  it('after a drop, reconnects, resumes open threads from their last seq, resends unacked replies and reloads the inbox', async () => {
    vi.useFakeTimers();
    const calls = mockApi({
      'GET /api/agent/conversations': { body: { items: [conversation()], nextCursor: null } },
      'GET /api/agent/conversations/conv_1/messages': {
        body: { items: [message({ seq: 1 }), message({ seq: 2 })], hasMore: false },
      },
    });
    connectSocket();
    lastSocket().accept();
    await loadInbox('open');
    await loadThread('conv_1');
    const pending = enqueue('conv_1', 'Still there?');

    lastSocket().serverClose(1012);
    transmit(pending);
    expect($connection.get()).toBe('offline');
    await vi.advanceTimersByTimeAsync(1000);
    const second = lastSocket();
    expect(FakeWebSocket.instances).toHaveLength(2);
    const inboxLoads = calls.filter((c) => c.path.startsWith('/api/agent/conversations?')).length;

    second.accept();

    expect(second.sentOfType('resume')).toEqual([
      { type: 'resume', resume: [{ conversationId: 'conv_1', afterSeq: 2 }] },
    ]);
    expect(second.sentOfType('send')).toEqual([
      {
        type: 'send',
        conversationId: 'conv_1',
        clientMessageId: pending.clientMessageId,
        body: 'Still there?',
      },
    ]);
    expect(calls.filter((c) => c.path.startsWith('/api/agent/conversations?')).length).toBe(
      inboxLoads + 1,
    );
    expect($outbox.get()).toHaveLength(1);
    expect($inbox.get().open.items).toHaveLength(1);
  });

  it('ends the session instead of reconnecting when the server says it is no longer valid', () => {
    vi.useFakeTimers();
    $session.set({ status: 'authenticated', session: authSession() });
    connectSocket();
    lastSocket().accept();

    lastSocket().serverClose(4401);
    vi.advanceTimersByTime(60_000);

    expect($session.get()).toEqual({ status: 'anonymous', expired: true });
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('ignores frames that do not match the protocol', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    connectSocket();
    lastSocket().accept();

    lastSocket().receive({ type: 'message', message: { seq: 'one' } });

    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });
});
