import { vi } from 'vitest';
import type {
  AgentClientFrame,
  AgentServerFrame,
  VisitorClientFrame,
  VisitorServerFrame,
} from '../../protocol/index.js';

type ReadyOf<Frame> = Extract<Frame, { type: 'ready' }>;

/** Every socket opened since the last `install()`, oldest first, whichever front-end opened it. */
let opened: unknown[] = [];

/**
 * Stands in for the browser WebSocket in the widget's and the console's tests: they open it, push
 * server frames and read what was sent. One subclass per front-end knows its frames and what its
 * server says when it accepts a socket.
 */
abstract class FakeWebSocket<Sent extends { type: string }, Ready extends { type: 'ready' }> {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;

  static get instances(): readonly unknown[] {
    return opened;
  }

  /** Makes `new WebSocket()` in the code under test open one of these. */
  static install(this: new (url: string) => unknown): void {
    opened = [];
    vi.stubGlobal('WebSocket', this);
  }

  static last<T>(this: new (url: string) => T): T {
    const socket = opened.at(-1);
    if (!socket) throw new Error('no WebSocket was opened');
    return socket as T;
  }

  readyState = FakeWebSocket.CONNECTING;
  readonly sent: Sent[] = [];
  /** A live server answers pings; set false to play a connection that died without a close. */
  answersPings = true;
  /** Close code the client asked for, when it closed the socket itself. */
  closedWith: number | null = null;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  /** What the server says in `ready` unless a test says otherwise. */
  protected abstract readonly readyFrame: Ready;

  constructor(readonly url: string) {
    opened.push(this);
  }

  send(data: string): void {
    if (this.readyState !== FakeWebSocket.OPEN) throw new Error('send() before the socket opened');
    const frame = JSON.parse(data) as Sent;
    this.sent.push(frame);
    if (frame.type === 'ping' && this.answersPings) this.receive({ type: 'pong' });
  }

  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code, reason: '' });
  }

  /** The upgrade succeeded (a visitor's client now sends its auth frame). */
  open(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.({});
  }

  /** The server accepted the client and said `ready`. */
  ready(frame: Partial<Ready> = {}): void {
    this.receive({ ...this.readyFrame, ...frame });
  }

  /** `open` then `ready`. */
  accept(frame: Partial<Ready> = {}): void {
    this.open();
    this.ready(frame);
  }

  receive(frame: object): void {
    this.receiveRaw(JSON.stringify(frame));
  }

  receiveRaw(data: unknown): void {
    this.onmessage?.({ data });
  }

  serverClose(code: number, reason = ''): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code, reason });
  }

  sentOfType<T extends Sent['type']>(type: T) {
    return this.sent.filter((f): f is Extract<Sent, { type: T }> => f.type === type);
  }
}

/** The widget's socket to /ws/visitor. */
export class FakeVisitorSocket extends FakeWebSocket<
  VisitorClientFrame,
  ReadyOf<VisitorServerFrame>
> {
  protected readonly readyFrame: ReadyOf<VisitorServerFrame> = {
    type: 'ready',
    visitorId: 'vis_1',
    conversation: null,
    agentsOnline: 1,
  };
}

/** The console's socket to /ws/agent. */
export class FakeAgentSocket extends FakeWebSocket<AgentClientFrame, ReadyOf<AgentServerFrame>> {
  protected readonly readyFrame: ReadyOf<AgentServerFrame> = {
    type: 'ready',
    agentId: 'agt_me',
    online: [],
  };
}
