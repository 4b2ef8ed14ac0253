import { vi } from 'vitest';
import type { VisitorClientFrame, VisitorServerFrame } from '../../protocol/index.js';

/** Stands in for the browser WebSocket: tests open it, push server frames and read what was sent. */
export class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static instances: FakeWebSocket[] = [];

  readyState = FakeWebSocket.CONNECTING;
  readonly sent: VisitorClientFrame[] = [];
  /** A live server answers pings; set false to play a connection that died without a close. */
  answersPings = true;
  /** Close code the client asked for, when it closed the socket itself. */
  closedWith: number | null = null;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  send(data: string): void {
    if (this.readyState !== FakeWebSocket.OPEN) throw new Error('send() before the socket opened');
    const frame = JSON.parse(data) as VisitorClientFrame;
    this.sent.push(frame);
    if (frame.type === 'ping' && this.answersPings) this.receive({ type: 'pong' });
  }

  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code, reason: '' });
  }

  /** The upgrade succeeded (the client now sends its auth frame). */
  open(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.({});
  }

  /** The server accepted the auth frame. */
  ready(frame: Partial<Extract<VisitorServerFrame, { type: 'ready' }>> = {}): void {
    this.receive({
      type: 'ready',
      visitorId: 'vis_1',
      conversation: null,
      agentsOnline: 1,
      ...frame,
    });
  }

  /** `open` then `ready`. */
  accept(frame: Partial<Extract<VisitorServerFrame, { type: 'ready' }>> = {}): void {
    this.open();
    this.ready(frame);
  }

  receive(frame: VisitorServerFrame | Record<string, unknown>): void {
    this.receiveRaw(JSON.stringify(frame));
  }

  receiveRaw(data: unknown): void {
    this.onmessage?.({ data });
  }

  serverClose(code: number, reason = ''): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code, reason });
  }

  sentOfType<T extends VisitorClientFrame['type']>(type: T) {
    return this.sent.filter((f): f is Extract<VisitorClientFrame, { type: T }> => f.type === type);
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
