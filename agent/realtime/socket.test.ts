// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { $connection } from '../stores/connection.js';
import { $inbox, loadInbox } from '../stores/inbox.js';
import { $outbox, enqueue } from '../stores/outbox.js';
import { $projects } from '../stores/projects.js';
import { $session } from '../stores/session.js';
import { $threads, loadThread } from '../stores/threads.js';
import { mockApi } from '../test-support/api-mock.js';
import { FakeAgentSocket } from '../../test/support/fake-socket.js';
import { HEARTBEAT } from '../../protocol/index.js';
import { agent, authSession, conversation, message, project } from '../test-support/fixtures.js';
import { resetAll } from '../test-support/reset.js';
import { connectSocket, transmit } from './socket.js';

afterEach(resetAll);
beforeEach(() => FakeAgentSocket.install());

describe('agent socket', () => {
  it('connects to /ws/agent on this host, without anything secret in the URL', () => {
    connectSocket();

    expect(FakeAgentSocket.last().url).toBe(`ws://${location.host}/ws/agent`);
    expect($connection.get()).toBe('connecting');
    FakeAgentSocket.last().accept();
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
    FakeAgentSocket.last().accept();
    await loadInbox('open');
    await loadThread('conv_1');
    const pending = enqueue('conv_1', 'Still there?');

    FakeAgentSocket.last().serverClose(1012);
    transmit(pending);
    expect($connection.get()).toBe('offline');
    await vi.advanceTimersByTimeAsync(1000);
    const second = FakeAgentSocket.last();
    expect(FakeAgentSocket.instances).toHaveLength(2);
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

  it('resumes a thread from the last seq it holds without a gap, not from its own later reply', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    mockApi({
      'GET /api/agent/conversations/conv_1/messages': {
        body: { items: [message({ seq: 1 })], hasMore: false },
      },
    });
    connectSocket();
    FakeAgentSocket.last().accept();
    await loadThread('conv_1');
    const pending = enqueue('conv_1', 'My reply, stored as 3');
    transmit(pending);
    // The visitor's message 2 was lost on the way (the bus was down); the ack of 3 came through.
    FakeAgentSocket.last().receive({
      type: 'ack',
      clientMessageId: pending.clientMessageId,
      message: message({
        seq: 3,
        clientMessageId: pending.clientMessageId,
        author: { kind: 'agent', id: 'agt_me', name: 'Ada', avatarUrl: null },
      }),
    });

    FakeAgentSocket.last().serverClose(1012);
    await vi.advanceTimersByTimeAsync(1000);
    FakeAgentSocket.last().accept();

    expect(FakeAgentSocket.last().sentOfType('resume')).toEqual([
      { type: 'resume', resume: [{ conversationId: 'conv_1', afterSeq: 1 }] },
    ]);
    FakeAgentSocket.last().receive({ type: 'message', message: message({ seq: 2 }) });
    expect($threads.get().conv_1?.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('notices a connection that died without a close within seconds of a reply, and sends it again', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    connectSocket();
    const dead = FakeAgentSocket.last();
    dead.accept();
    dead.answersPings = false;
    const pending = enqueue('conv_1', 'Into the void');

    transmit(pending);
    expect(dead.sent.map((f) => f.type)).toEqual(['send', 'ping']);
    await vi.advanceTimersByTimeAsync(HEARTBEAT.deadlineMs);
    expect($connection.get()).toBe('offline');
    await vi.advanceTimersByTimeAsync(1000);
    FakeAgentSocket.last().accept();

    expect(FakeAgentSocket.instances).toHaveLength(2);
    expect(
      FakeAgentSocket.last()
        .sentOfType('send')
        .map((f) => f.clientMessageId),
    ).toEqual([pending.clientMessageId]);
    expect($outbox.get()[0]?.state).toBe('sending');
  });

  it('never marks an unanswered reply failed: after 15 s it goes again on a new connection', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    connectSocket();
    FakeAgentSocket.last().accept();
    const pending = enqueue('conv_1', 'Hello?');

    transmit(pending);
    await vi.advanceTimersByTimeAsync(15_000);
    expect($outbox.get()[0]?.state).toBe('sending');
    await vi.advanceTimersByTimeAsync(1000);
    FakeAgentSocket.last().accept();

    expect(FakeAgentSocket.instances).toHaveLength(2);
    expect(FakeAgentSocket.last().sentOfType('send')).toHaveLength(1);
  });

  it('keeps a reply the server could not take right now (unavailable, rate limited) and sends it again', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    connectSocket();
    const ws = FakeAgentSocket.last();
    ws.accept();
    const pending = enqueue('conv_1', 'During a database restart');

    transmit(pending);
    ws.receive({
      type: 'error',
      code: 'unavailable',
      message: 'The server could not handle this right now; try again',
      clientMessageId: pending.clientMessageId,
    });
    expect($outbox.get()[0]?.state).toBe('sending');
    await vi.advanceTimersByTimeAsync(3000);
    expect(ws.sentOfType('send')).toHaveLength(2);

    ws.receive({
      type: 'error',
      code: 'conversation_closed',
      message: 'This conversation is closed; reopen it to reply',
      clientMessageId: pending.clientMessageId,
    });
    expect($outbox.get()[0]).toMatchObject({ state: 'failed' });
  });

  it('follows an access change without reconnecting: the session, projects and inbox reload', async () => {
    $session.set({ status: 'authenticated', session: authSession({ projectIds: ['acme'] }) });
    const calls = mockApi({
      'GET /api/agent/projects': { body: { items: [project(), project({ id: 'globex' })] } },
      'GET /api/agent/conversations': { body: { items: [conversation()], nextCursor: null } },
    });
    connectSocket();
    FakeAgentSocket.last().accept();
    await loadInbox('open');

    FakeAgentSocket.last().receive({
      type: 'access',
      agent: agent({ projectIds: ['acme', 'globex'] }),
    });

    const state = $session.get();
    expect(state.status === 'authenticated' && state.session.agent.projectIds).toEqual([
      'acme',
      'globex',
    ]);
    await expect.poll(() => $projects.get().map((p) => p.id)).toEqual(['acme', 'globex']);
    expect(calls.filter((c) => c.path.startsWith('/api/agent/conversations?'))).toHaveLength(2);
    expect(FakeAgentSocket.instances).toHaveLength(1);
  });

  it('ends the session instead of reconnecting when the server says it is no longer valid', () => {
    vi.useFakeTimers();
    $session.set({ status: 'authenticated', session: authSession() });
    connectSocket();
    FakeAgentSocket.last().accept();

    FakeAgentSocket.last().serverClose(4401);
    vi.advanceTimersByTime(60_000);

    expect($session.get()).toEqual({ status: 'anonymous', expired: true });
    expect(FakeAgentSocket.instances).toHaveLength(1);
  });

  it('ignores frames that do not match the protocol', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    connectSocket();
    FakeAgentSocket.last().accept();

    FakeAgentSocket.last().receive({ type: 'message', message: { seq: 'one' } });

    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });
});
