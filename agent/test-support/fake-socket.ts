import { vi } from 'vitest';
import type { AgentClientFrame, AgentServerFrame } from '../../protocol/index.js';

/** Stands in for the browser WebSocket: tests open it, push server frames and read what was sent. */
export class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static instances: FakeWebSocket[] = [];

  readyState = FakeWebSocket.CONNECTING;
  readonly sent: AgentClientFrame[] = [];
  /** A live server answers pings; set false to play a connection that died without a close. */
  answersPings = true;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  send(data: string): void {
    const frame = JSON.parse(data) as AgentClientFrame;
    this.sent.push(frame);
    if (frame.type === 'ping' && this.answersPings) this.receive({ type: 'pong' });
  }

  close(code = 1000): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code });
  }

  /** The server accepted the upgrade and said `ready`. */
  accept(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.({});
    this.receive({ type: 'ready', agentId: 'agt_me', online: [] });
  }

  receive(frame: AgentServerFrame | Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  serverClose(code: number): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code });
  }

  sentOfType<T extends AgentClientFrame['type']>(type: T) {
    return this.sent.filter((f): f is Extract<AgentClientFrame, { type: T }> => f.type === type);
  }
}

export function installFakeWebSocket(): void {
  FakeWebSocket.instances = [];
  vi.stubGlobal('WebSocket', FakeWebSocket);
}

export function lastSocket(): FakeWebSocket {
  const socket = FakeWebSocket.instances.at(-1);
  if (!socket) throw new Error('no WebSocket was opened');
  return socket;
}
