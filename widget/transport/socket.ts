import { CloseCode, VISITOR_SOCKET_PATH } from '../../protocol/constants.js';
import type { ResumeEntry, VisitorClientFrame, VisitorServerFrame } from '../../protocol/index.js';
import { backoffDelay } from './backoff.js';
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
 * resumes from the last seen `seq` after every reconnect, and backs off with jitter.
 */
export class VisitorSocket {
  private ws: WebSocket | null = null;
  private ready = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly reconnectNow = () => {
    if (!this.ws && !this.stopped) {
      clearTimeout(this.timer);
      this.connect();
    }
  };

  constructor(
    private readonly apiOrigin: string,
    private readonly token: string,
    private readonly handlers: SocketHandlers,
  ) {
    addEventListener('online', this.reconnectNow);
    this.connect();
  }

  /** False when the frame could not go out now; the caller keeps it for the next `ready`. */
  send(frame: VisitorClientFrame): boolean {
    if (!this.ws || !this.ready) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    removeEventListener('online', this.reconnectNow);
    this.ws?.close(1000);
    this.ws = null;
  }

  private connect(): void {
    this.handlers.status('connecting');
    const ws = new WebSocket(`${this.apiOrigin.replace(/^http/, 'ws')}${VISITOR_SOCKET_PATH}`);
    this.ws = ws;
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'auth', token: this.token, resume: this.handlers.resume() }));
    };
    ws.onmessage = (event) => {
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
      this.ws = null;
      this.ready = false;
      if (this.stopped) return;
      this.handlers.status('offline');
      const { code } = event;
      // Reconnecting cannot help: not even the browser's `online` event may bring this socket back.
      if (code === CloseCode.unauthorized || code === CloseCode.forbiddenOrigin) this.close();
      if (code === CloseCode.unauthorized) return this.handlers.unauthorized();
      if (code === CloseCode.forbiddenOrigin) return this.handlers.refused(event.reason);
      this.timer = setTimeout(() => this.connect(), backoffDelay(this.attempt++));
    };
  }
}
