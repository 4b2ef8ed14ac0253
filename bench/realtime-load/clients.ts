/**
 * The load's client sockets. They parse only what they measure (frame type by prefix,
 * clientMessageId by index): the client shares nothing with the server, but it is one event loop,
 * and every microsecond it spends per frame is added to the latencies it records.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const CMID = '"clientMessageId":"';
/** The clientMessageId of a frame, by position (no JSON.parse on the hot path). */
export function clientMessageIdOf(text: string): string | null {
  const at = text.indexOf(CMID);
  if (at < 0) return null;
  const start = at + CMID.length;
  return text.slice(start, text.indexOf('"', start));
}

type FrameHandler = (socket: ClientSocket, text: string, now: number) => void;

/** One client WebSocket; frames after the handshake go to the socket's current handler. */
export class ClientSocket {
  handler: FrameHandler = () => {};
  lastSend = 0;
  closed = false;

  constructor(
    readonly ws: WebSocket,
    readonly index: number,
  ) {
    ws.on('close', () => {
      this.closed = true;
    });
  }

  send(text: string): void {
    this.lastSend = performance.now();
    this.ws.send(text);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.terminate();
    });
  }
}

/**
 * Opens a socket, sends `handshake.first` if given, and resolves once a frame starting with
 * `handshake.readyPrefix` arrives (at once when there is none).
 */
export function openSocket(
  url: string,
  index: number,
  options: { origin: string; headers?: Record<string, string> },
  handshake: { first?: string; readyPrefix?: string },
): Promise<ClientSocket> {
  const ws = new WebSocket(url, {
    origin: options.origin,
    perMessageDeflate: false,
    ...(options.headers ? { headers: options.headers } : {}),
  });
  const socket = new ClientSocket(ws, index);
  return new Promise((resolve, reject) => {
    let ready = handshake.readyPrefix === undefined;
    ws.once('open', () => {
      if (handshake.first) ws.send(handshake.first);
      if (ready) resolve(socket);
    });
    ws.on('message', (data: Buffer) => {
      const now = performance.now();
      const text = data.toString();
      if (!ready) {
        if (text.startsWith(handshake.readyPrefix!)) {
          ready = true;
          resolve(socket);
        } else if (text.startsWith('{"type":"error"')) {
          reject(new Error(`handshake refused: ${text}`));
        }
        return;
      }
      socket.handler(socket, text, now);
    });
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade: ${res.statusCode}`)));
  });
}
