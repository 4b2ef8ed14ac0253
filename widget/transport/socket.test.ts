// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HEARTBEAT } from '../../protocol/constants.js';
import type { ResumeEntry, VisitorServerFrame } from '../../protocol/index.js';
import { FakeVisitorSocket } from '../../test/support/fake-socket.js';
import { VISITOR_TOKEN } from '../test-support/fixtures.js';
import { VisitorSocket, type SocketStatus } from './socket.js';

let socket: VisitorSocket | null = null;

function handlers(resume: ResumeEntry[] = []) {
  const statuses: SocketStatus[] = [];
  const frames: VisitorServerFrame[] = [];
  const spies = {
    frame: vi.fn((frame: VisitorServerFrame) => void frames.push(frame)),
    status: vi.fn((status: SocketStatus) => void statuses.push(status)),
    resume: vi.fn(() => resume),
    unauthorized: vi.fn(),
    refused: vi.fn(),
  };
  return { spies, statuses, frames };
}

function connect(resume: ResumeEntry[] = [], origin = 'https://chat.example.com') {
  const h = handlers(resume);
  socket = new VisitorSocket(origin, VISITOR_TOKEN, h.spies);
  return h;
}

beforeEach(() => FakeVisitorSocket.install());
afterEach(() => {
  socket?.close();
  socket = null;
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('VisitorSocket', () => {
  it('connects to the visitor path on the API origin, with no token in the URL', () => {
    connect([], 'https://chat.example.com');
    expect(FakeVisitorSocket.last().url).toBe('wss://chat.example.com/ws/visitor');

    socket!.close();
    connect([], 'http://localhost:3000');
    expect(FakeVisitorSocket.last().url).toBe('ws://localhost:3000/ws/visitor');
    expect(FakeVisitorSocket.last().url).not.toContain(VISITOR_TOKEN);
  });

  it('sends the auth frame first, with the resume list', () => {
    const resume = [{ conversationId: 'conv_1', afterSeq: 7 }];
    connect(resume);

    FakeVisitorSocket.last().open();

    expect(FakeVisitorSocket.last().sent).toEqual([{ type: 'auth', token: VISITOR_TOKEN, resume }]);
  });

  it('refuses to send until the server says ready', () => {
    const { statuses } = connect();
    const frame = { type: 'typing', isTyping: true } as const;

    expect(socket!.send(frame)).toBe(false);
    FakeVisitorSocket.last().open();
    expect(socket!.send(frame)).toBe(false);
    expect(statuses).toEqual(['connecting']);

    FakeVisitorSocket.last().ready();

    expect(statuses).toEqual(['connecting', 'online']);
    expect(socket!.send(frame)).toBe(true);
    expect(FakeVisitorSocket.last().sent.map((f) => f.type)).toEqual(['auth', 'typing']);
  });

  it('passes server frames on, ready included', () => {
    const { frames } = connect();
    FakeVisitorSocket.last().accept();
    FakeVisitorSocket.last().receive({ type: 'presence', agentsOnline: 3 });

    expect(frames).toEqual([
      { type: 'ready', visitorId: 'vis_1', conversation: null, agentsOnline: 1 },
      { type: 'presence', agentsOnline: 3 },
    ]);
  });

  it('reconnects after an abnormal close, backing off, and resumes from what it has now', () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    let resume: ResumeEntry[] = [];
    const { spies, statuses } = connect();
    spies.resume.mockImplementation(() => resume);
    FakeVisitorSocket.last().accept();
    resume = [{ conversationId: 'conv_1', afterSeq: 3 }];

    FakeVisitorSocket.last().serverClose(1006);

    expect(statuses.at(-1)).toBe('offline');
    expect(socket!.send({ type: 'typing', isTyping: true })).toBe(false);
    // Full jitter: random (0.5) × 500 ms for the first attempt.
    vi.advanceTimersByTime(249);
    expect(FakeVisitorSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeVisitorSocket.instances).toHaveLength(2);
    expect(statuses.at(-1)).toBe('connecting');

    // Still failing: the next wait doubles.
    FakeVisitorSocket.last().serverClose(1006);
    vi.advanceTimersByTime(499);
    expect(FakeVisitorSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeVisitorSocket.instances).toHaveLength(3);

    FakeVisitorSocket.last().open();
    expect(FakeVisitorSocket.last().sent).toEqual([{ type: 'auth', token: VISITOR_TOKEN, resume }]);

    // A successful connection starts the backoff over.
    FakeVisitorSocket.last().ready();
    FakeVisitorSocket.last().serverClose(1012);
    vi.advanceTimersByTime(250);
    expect(FakeVisitorSocket.instances).toHaveLength(4);
  });

  it('caps the backoff at 30 seconds', () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    connect();
    for (let attempt = 0; attempt < 12; attempt++) {
      FakeVisitorSocket.last().serverClose(1006);
      vi.advanceTimersByTime(Math.min(30_000, 500 * 2 ** attempt));
    }
    expect(FakeVisitorSocket.instances).toHaveLength(13);
    FakeVisitorSocket.last().serverClose(1006);
    vi.advanceTimersByTime(29_969);
    expect(FakeVisitorSocket.instances).toHaveLength(13);
    vi.advanceTimersByTime(1);
    expect(FakeVisitorSocket.instances).toHaveLength(14);
  });

  it('pings after 15 s of silence and stays connected while the server answers', () => {
    vi.useFakeTimers();
    const { statuses } = connect();
    FakeVisitorSocket.last().accept();

    vi.advanceTimersByTime(HEARTBEAT.idleMs);
    expect(FakeVisitorSocket.last().sentOfType('ping')).toHaveLength(1);
    vi.advanceTimersByTime(HEARTBEAT.idleMs);
    expect(FakeVisitorSocket.last().sentOfType('ping')).toHaveLength(2);

    expect(FakeVisitorSocket.instances).toHaveLength(1);
    expect(statuses.at(-1)).toBe('online');
  });

  it('gives up on a connection that stopped answering without a close, and reconnects at once', () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const resume = [{ conversationId: 'conv_1', afterSeq: 4 }];
    const { statuses } = connect(resume);
    const dead = FakeVisitorSocket.last();
    dead.accept();
    dead.answersPings = false;

    vi.advanceTimersByTime(HEARTBEAT.idleMs + HEARTBEAT.deadlineMs - 1);
    expect(statuses.at(-1)).toBe('online');
    vi.advanceTimersByTime(1);
    expect(statuses.at(-1)).toBe('offline');
    expect(dead.closedWith).not.toBeNull();
    vi.advanceTimersByTime(250);

    expect(FakeVisitorSocket.instances).toHaveLength(2);
    FakeVisitorSocket.last().open();
    expect(FakeVisitorSocket.last().sent).toEqual([{ type: 'auth', token: VISITOR_TOKEN, resume }]);
  });

  it('probes right after a send, so a message sent into a dead connection is noticed in seconds', () => {
    vi.useFakeTimers();
    const { statuses } = connect();
    FakeVisitorSocket.last().accept();
    FakeVisitorSocket.last().answersPings = false;

    socket!.send({ type: 'send', clientMessageId: 'c1', body: 'hello?' });
    expect(FakeVisitorSocket.last().sent.map((f) => f.type)).toEqual(['auth', 'send', 'ping']);
    vi.advanceTimersByTime(HEARTBEAT.deadlineMs);

    expect(statuses.at(-1)).toBe('offline');
  });

  it('probes an open connection when the browser says it is back online', () => {
    vi.useFakeTimers();
    const { statuses } = connect();
    FakeVisitorSocket.last().accept();
    FakeVisitorSocket.last().answersPings = false;

    window.dispatchEvent(new Event('online'));
    expect(FakeVisitorSocket.last().sentOfType('ping')).toHaveLength(1);
    vi.advanceTimersByTime(HEARTBEAT.deadlineMs);

    expect(statuses.at(-1)).toBe('offline');
  });

  it('gives up on a handshake that never completes', () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    connect();

    vi.advanceTimersByTime(HEARTBEAT.idleMs + HEARTBEAT.deadlineMs + 250);

    expect(FakeVisitorSocket.instances).toHaveLength(2);
  });

  it('reconnects at once when the browser comes back online', () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    connect();
    FakeVisitorSocket.last().accept();
    FakeVisitorSocket.last().serverClose(1006);

    window.dispatchEvent(new Event('online'));

    expect(FakeVisitorSocket.instances).toHaveLength(2);
    // The pending backoff timer (1 s) was cancelled: no third socket.
    vi.advanceTimersByTime(5000);
    expect(FakeVisitorSocket.instances).toHaveLength(2);
  });

  it('does not reconnect after 4401 and reports the token as no longer valid', () => {
    vi.useFakeTimers();
    const { spies, statuses } = connect();
    FakeVisitorSocket.last().accept();

    FakeVisitorSocket.last().serverClose(4401);
    vi.advanceTimersByTime(120_000);
    window.dispatchEvent(new Event('online'));

    expect(spies.unauthorized).toHaveBeenCalledOnce();
    expect(statuses.at(-1)).toBe('offline');
    expect(FakeVisitorSocket.instances).toHaveLength(1);
  });

  it('does not reconnect after the project refuses the page (4403)', () => {
    vi.useFakeTimers();
    const { spies } = connect();
    FakeVisitorSocket.last().open();

    FakeVisitorSocket.last().serverClose(4403, 'origin not allowed');
    vi.advanceTimersByTime(120_000);
    window.dispatchEvent(new Event('online'));

    expect(spies.refused).toHaveBeenCalledWith('origin not allowed');
    expect(spies.unauthorized).not.toHaveBeenCalled();
    expect(FakeVisitorSocket.instances).toHaveLength(1);
  });

  it('ignores frames that are not JSON or have an unknown type', () => {
    const { spies } = connect();
    FakeVisitorSocket.last().open();

    for (const raw of ['not json', '{"type":', 'null', '42', '"ready"', '[]', '{}']) {
      FakeVisitorSocket.last().receiveRaw(raw);
    }
    FakeVisitorSocket.last().receive({ type: 'bogus', agentsOnline: 2 });
    FakeVisitorSocket.last().receive({ type: 'auth' });

    expect(spies.frame).not.toHaveBeenCalled();
    // None of them counted as `ready`.
    expect(socket!.send({ type: 'typing', isTyping: true })).toBe(false);

    FakeVisitorSocket.last().receive({ type: 'presence', agentsOnline: 2 });
    expect(spies.frame).toHaveBeenCalledOnce();
  });

  it('closes for good when told to', () => {
    vi.useFakeTimers();
    const { spies } = connect();
    const ws = FakeVisitorSocket.last();
    ws.accept();
    spies.status.mockClear();

    socket!.close();
    vi.advanceTimersByTime(120_000);
    window.dispatchEvent(new Event('online'));

    expect(ws.closedWith).toBe(1000);
    expect(FakeVisitorSocket.instances).toHaveLength(1);
    expect(spies.status).not.toHaveBeenCalled();
    expect(socket!.send({ type: 'typing', isTyping: true })).toBe(false);
  });

  it('does not reconnect when closed while waiting to retry', () => {
    vi.useFakeTimers();
    connect();
    FakeVisitorSocket.last().serverClose(1006);

    socket!.close();
    vi.advanceTimersByTime(120_000);

    expect(FakeVisitorSocket.instances).toHaveLength(1);
  });
});
