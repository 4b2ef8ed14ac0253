import {
  AGENT_SOCKET_PATH,
  AgentServerFrame,
  backoffDelay,
  CloseCode,
  type AgentClientFrame,
  watchLiveness,
} from '../../protocol/index.js';
import { setConnection } from '../stores/connection.js';
import { $outbox, findPending, markSending, type PendingMessage } from '../stores/outbox.js';
import { expireSession } from '../stores/session.js';
import { resumePoints } from '../stores/threads.js';
import { handleFrame, refreshAfterReconnect } from './dispatch.js';

/** A send the server neither acknowledges nor refuses in this time goes again on a new connection. */
const ACK_TIMEOUT_MS = 15_000;
/** Refusals that say "not now" rather than "no": the reply is sent again after a pause. */
const TRANSIENT_ERRORS = new Set(['unavailable', 'rate_limited']);
const RETRY_TRANSIENT_MS = 2000;

let socket: WebSocket | null = null;
let ready = false;
/** Whether this console was connected before: a later `ready` is a reconnect. */
let connectedBefore = false;
let attempt = 0;
let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
/** Per unacknowledged reply: its ack deadline, or the pause before it goes again. */
const ackTimers = new Map<string, ReturnType<typeof setTimeout>>();
const liveness = watchLiveness(() => rawSend({ type: 'ping' }, true), reconnectNow);
const onOnline = () => {
  if (socket) liveness.probe();
};

function socketUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${AGENT_SOCKET_PATH}`;
}

export function connectSocket(): void {
  if (socket) return;
  clearTimeout(reconnectTimer);
  setConnection('connecting');
  addEventListener('online', onOnline);
  const ws = new WebSocket(socketUrl());
  socket = ws;
  liveness.heard();
  ws.onmessage = (event) => {
    if (socket !== ws || typeof event.data !== 'string') return;
    liveness.heard();
    let json: unknown;
    try {
      json = JSON.parse(event.data);
    } catch {
      return;
    }
    const parsed = AgentServerFrame.safeParse(json);
    if (!parsed.success) {
      console.warn('palaver: ignored an unexpected frame', parsed.error);
      return;
    }
    const frame = parsed.data;
    if (frame.type === 'ready') onReady();
    if (frame.type === 'error' && frame.clientMessageId && TRANSIENT_ERRORS.has(frame.code)) {
      retryLater(frame.clientMessageId, frame.retryAfterMs);
      return;
    }
    handleFrame(frame);
  };
  ws.onclose = (event) => {
    if (socket !== ws) return;
    lost(ws);
    if (event.code === CloseCode.unauthorized) {
      setConnection('idle');
      expireSession();
      return;
    }
    scheduleReconnect();
  };
}

/** Stops listening to a connection that closed or that we gave up on. */
function lost(ws: WebSocket): void {
  ws.onmessage = ws.onclose = null;
  socket = null;
  ready = false;
  liveness.stop();
  clearAckTimers();
  setConnection('offline');
}

/**
 * Gives up on the current connection at once (it answers nothing: it may be dead without having
 * closed) and starts a new one; unacknowledged replies go again after its `ready`.
 */
function reconnectNow(): void {
  const ws = socket;
  if (!ws) return;
  lost(ws);
  ws.close();
  scheduleReconnect();
}

function scheduleReconnect(): void {
  // After a server restart, agents must not all come back in the same instant.
  reconnectTimer = setTimeout(connectSocket, backoffDelay(attempt++));
}

function onReady(): void {
  ready = true;
  attempt = 0;
  setConnection('online');
  const resume = resumePoints();
  if (resume.length > 0) rawSend({ type: 'resume', resume });
  // Every reply the server has not acknowledged goes again, in the order it was written; only
  // replies the server refused wait for the agent's Retry.
  for (const pending of $outbox.get()) {
    if (pending.state === 'sending') transmit(pending);
  }
  // Conversation frames sent while we were away are lost; reload what is on screen.
  if (connectedBefore) refreshAfterReconnect();
  connectedBefore = true;
}

export function disconnectSocket(): void {
  clearTimeout(reconnectTimer);
  clearAckTimers();
  liveness.stop();
  removeEventListener('online', onOnline);
  const ws = socket;
  socket = null;
  ready = false;
  connectedBefore = false;
  attempt = 0;
  ws?.close(1000);
  setConnection('idle');
}

/** `beforeReady`: pings may go out while the server is still preparing the socket. */
function rawSend(frame: AgentClientFrame, beforeReady = false): boolean {
  if (!socket || (!ready && !beforeReady) || socket.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(frame));
  return true;
}

/** Typing and read frames are best-effort: dropping one while offline is harmless. */
export function sendEphemeral(frame: Extract<AgentClientFrame, { type: 'typing' | 'read' }>): void {
  rawSend(frame);
}

/** Sends now when connected; otherwise the outbox flushes it on the next `ready`. */
export function transmit(pending: PendingMessage): void {
  clearTimeout(ackTimers.get(pending.clientMessageId));
  ackTimers.delete(pending.clientMessageId);
  const sent = rawSend({
    type: 'send',
    conversationId: pending.conversationId,
    clientMessageId: pending.clientMessageId,
    body: pending.body,
  });
  if (!sent) return;
  liveness.probe();
  ackTimers.set(
    pending.clientMessageId,
    setTimeout(() => {
      ackTimers.delete(pending.clientMessageId);
      reconnectNow();
    }, ACK_TIMEOUT_MS),
  );
}

/** The server could not take the reply now (database restarting, rate limit): again shortly. */
function retryLater(clientMessageId: string, afterMs?: number): void {
  clearTimeout(ackTimers.get(clientMessageId));
  ackTimers.set(
    clientMessageId,
    setTimeout(
      () => {
        ackTimers.delete(clientMessageId);
        const pending = findPending(clientMessageId);
        if (pending?.state === 'sending') transmit(pending);
      },
      afterMs ?? RETRY_TRANSIENT_MS * (1 + Math.random()),
    ),
  );
}

export function retry(pending: PendingMessage): void {
  markSending(pending.clientMessageId);
  transmit(pending);
}

export function settleAck(clientMessageId: string): void {
  clearTimeout(ackTimers.get(clientMessageId));
  ackTimers.delete(clientMessageId);
}

function clearAckTimers(): void {
  for (const timer of ackTimers.values()) clearTimeout(timer);
  ackTimers.clear();
}
