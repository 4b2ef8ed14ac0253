import {
  AGENT_SOCKET_PATH,
  AgentServerFrame,
  CloseCode,
  type AgentClientFrame,
} from '../../protocol/index.js';
import { setConnection } from '../stores/connection.js';
import { $outbox, markFailed, markSending, type PendingMessage } from '../stores/outbox.js';
import { expireSession } from '../stores/session.js';
import { resumePoints } from '../stores/threads.js';
import { handleFrame, refreshAfterReconnect } from './dispatch.js';

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
/** A send the server neither acks nor rejects in this time gets a Retry button. */
const ACK_TIMEOUT_MS = 15_000;

let socket: WebSocket | null = null;
let ready = false;
/** Whether this console was connected before: a later `ready` is a reconnect. */
let connectedBefore = false;
let attempt = 0;
let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
const ackTimers = new Map<string, ReturnType<typeof setTimeout>>();

function socketUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${AGENT_SOCKET_PATH}`;
}

export function connectSocket(): void {
  if (socket) return;
  clearTimeout(reconnectTimer);
  setConnection('connecting');
  const ws = new WebSocket(socketUrl());
  socket = ws;
  ws.onmessage = (event) => {
    if (socket !== ws || typeof event.data !== 'string') return;
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
    if (parsed.data.type === 'ready') onReady();
    handleFrame(parsed.data);
  };
  ws.onclose = (event) => {
    if (socket !== ws) return;
    socket = null;
    ready = false;
    clearAckTimers();
    if (event.code === CloseCode.unauthorized) {
      setConnection('idle');
      expireSession();
      return;
    }
    setConnection('offline');
    scheduleReconnect();
  };
}

function scheduleReconnect(): void {
  // Full jitter: after a server restart, agents must not all come back in the same instant.
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  attempt++;
  reconnectTimer = setTimeout(connectSocket, ceiling / 2 + (Math.random() * ceiling) / 2);
}

function onReady(): void {
  ready = true;
  attempt = 0;
  setConnection('online');
  const resume = resumePoints();
  if (resume.length > 0) rawSend({ type: 'resume', resume });
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
  const ws = socket;
  socket = null;
  ready = false;
  connectedBefore = false;
  attempt = 0;
  ws?.close(1000);
  setConnection('idle');
}

function rawSend(frame: AgentClientFrame): boolean {
  if (!socket || !ready || socket.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(frame));
  return true;
}

/** Typing and read frames are best-effort: dropping one while offline is harmless. */
export function sendEphemeral(frame: Extract<AgentClientFrame, { type: 'typing' | 'read' }>): void {
  rawSend(frame);
}

/** Sends now when connected; otherwise the outbox flushes it on the next `ready`. */
export function transmit(pending: PendingMessage): void {
  const sent = rawSend({
    type: 'send',
    conversationId: pending.conversationId,
    clientMessageId: pending.clientMessageId,
    body: pending.body,
  });
  if (!sent) return;
  clearTimeout(ackTimers.get(pending.clientMessageId));
  ackTimers.set(
    pending.clientMessageId,
    setTimeout(() => {
      ackTimers.delete(pending.clientMessageId);
      markFailed(pending.clientMessageId, 'Not delivered');
    }, ACK_TIMEOUT_MS),
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
