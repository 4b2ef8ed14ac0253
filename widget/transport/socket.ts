import { backoffDelay } from '../../protocol/backoff.js';
import { CloseCode, VISITOR_SOCKET_PATH } from '../../protocol/constants.js';
import type { ResumeEntry, VisitorClientFrame, VisitorServerFrame } from '../../protocol/index.js';
import { watchLiveness } from '../../protocol/liveness.js';
import { readFrame } from './frames.js';

export type SocketStatus = 'connecting' | 'online' | 'offline';

export interface SocketHandlers {
  frame(frame: VisitorServerFrame): void;
  status(status: SocketStatus): void;
  /** What this client has already seen, asked again on every (re)connect. */
  resume(): ResumeEntry[];
  /** The token is no longer valid: reconnecting cannot help. */
  unauthorized(): void;
  /** The project refused this page; reconnecting cannot help. */
  refused(reason: string): void;
}

/**
 * The visitor's WebSocket: authenticates in the first frame (the token never goes in a URL),
 * resumes after every reconnect, backs off with jitter, and notices a connection that died
 * without a close (it pings when quiet and after each send, and gives up on silence).
 */
export class VisitorSocket {
  private ws: WebSocket | null = null;
  private ready = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly liveness = watchLiveness(
    () => this.ws?.readyState === WebSocket.OPEN && this.ws.send('{"type":"ping"}'),
    () => this.reconnect(),
  );
  private readonly onOnline = () => {
    // Back from sleep or a network change: an open socket may be a dead one.
    if (this.ws) this.liveness.probe();
    else if (!this.stopped) {
      clearTimeout(this.timer);
      this.connect();
    }
  };

  constructor(
    private readonly apiOrigin: string,
    private readonly token: string,
    private readonly handlers: SocketHandlers,
  ) {
    addEventListener('online', this.onOnline);
    this.connect();
  }

  /** False when the frame could not go out now; the caller keeps it for the next `ready`. */
  send(frame: VisitorClientFrame): boolean {
    if (!this.ws || !this.ready) return false;
    this.ws.send(JSON.stringify(frame));
    if (frame.type === 'send') this.liveness.probe();
    return true;
  }

  /**
   * Gives up on the current connection at once and starts a new one: a dead connection can take
   * minutes to report its close, and everything unacknowledged goes again after the next `ready`.
   */
  reconnect(): void {
    const ws = this.ws;
    if (!ws || this.stopped) return;
    this.lost(ws);
    ws.close();
    this.retry();
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.liveness.stop();
    removeEventListener('online', this.onOnline);
    this.ws?.close(1000);
    this.ws = null;
  }

  private connect(): void {
    this.handlers.status('connecting');
    const ws = new WebSocket(`${this.apiOrigin.replace(/^http/, 'ws')}${VISITOR_SOCKET_PATH}`);
    this.ws = ws;
    // Armed from the start: a handshake that never completes is a dead connection too.
    this.liveness.heard();
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'auth', token: this.token, resume: this.handlers.resume() }));
    };
    ws.onmessage = (event) => {
      if (this.ws !== ws) return;
      this.liveness.heard();
      const frame = readFrame(event.data);
      if (!frame) return;
      if (frame.type === 'ready') {
        this.ready = true;
        this.attempt = 0;
        this.handlers.status('online');
      }
      this.handlers.frame(frame);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.lost(ws);
      if (this.stopped) return;
      const { code } = event;
      // Reconnecting cannot help: not even the browser's `online` event may bring this socket back.
      if (code === CloseCode.unauthorized || code === CloseCode.forbiddenOrigin) this.close();
      if (code === CloseCode.unauthorized) return this.handlers.unauthorized();
      if (code === CloseCode.forbiddenOrigin) return this.handlers.refused(event.reason);
      this.retry();
    };
  }

  private lost(ws: WebSocket): void {
    ws.onopen = ws.onmessage = ws.onclose = null;
    this.ws = null;
    this.ready = false;
    this.liveness.stop();
    if (!this.stopped) this.handlers.status('offline');
  }

  private retry(): void {
    this.timer = setTimeout(() => this.connect(), backoffDelay(this.attempt++));
  }
}
