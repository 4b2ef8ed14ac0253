import WebSocket from 'ws';
import type {
  AgentServerFrame,
  AuthSession,
  Message,
  StartSessionRequest,
  StartSessionResponse,
  VisitorServerFrame,
} from '../../protocol/index.js';
import { PROJECT_ID, SITE_ORIGIN } from './server.js';

/** One server frame of a given `type`, e.g. `FrameOf<VisitorServerFrame, 'ack'>`. */
export type FrameOf<F extends { type: string }, T extends F['type']> = Extract<F, { type: T }>;

export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

async function answer<T>(response: Response): Promise<HttpAnswer<T>> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

/** `POST /api/widget/sessions` as the widget sends it (text/plain JSON from the site's origin). */
export async function startSession(
  baseUrl: string,
  input: Partial<StartSessionRequest> = {},
  origin: string | null = SITE_ORIGIN,
): Promise<HttpAnswer<StartSessionResponse>> {
  const headers: Record<string, string> = { 'content-type': 'text/plain;charset=UTF-8' };
  if (origin) headers.origin = origin;
  const response = await fetch(`${baseUrl}/api/widget/sessions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ projectId: PROJECT_ID, ...input }),
  });
  return answer<StartSessionResponse>(response);
}

export async function rawRequest(
  baseUrl: string,
  path: string,
  init: RequestInit = {},
): Promise<HttpAnswer> {
  return answer(await fetch(`${baseUrl}${path}`, init));
}

/** A signed-in agent: cookie + CSRF token, with JSON helpers that send both. */
export class AgentClient {
  private constructor(
    readonly baseUrl: string,
    readonly cookie: string,
    readonly session: AuthSession,
  ) {}

  static async login(baseUrl: string, email: string, password: string): Promise<AgentClient> {
    const response = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (response.status !== 200) throw new Error(`login failed: ${response.status}`);
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    return new AgentClient(baseUrl, cookie, (await response.json()) as AuthSession);
  }

  request<T = unknown>(method: string, path: string, body?: unknown): Promise<HttpAnswer<T>> {
    return this.send<T>(method, path, {
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  /**
   * A request with full control: `csrfToken: null` leaves the header out, `body` is sent as is
   * (with `contentType`, default JSON).
   */
  send<T = unknown>(
    method: string,
    path: string,
    options: { body?: string; contentType?: string; csrfToken?: string | null } = {},
  ): Promise<HttpAnswer<T>> {
    const headers: Record<string, string> = { cookie: this.cookie };
    const csrf = options.csrfToken === undefined ? this.session.csrfToken : options.csrfToken;
    if (csrf !== null) headers['x-csrf-token'] = csrf;
    if (options.body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: options.body } : {}),
    }).then((r) => answer<T>(r));
  }

  socket(options: { origin?: string } = {}): Promise<FrameSocket<AgentServerFrame>> {
    return FrameSocket.open<AgentServerFrame>(this.baseUrl.replace(/^http/, 'ws') + '/ws/agent', {
      origin: options.origin ?? this.baseUrl,
      headers: { cookie: this.cookie },
    });
  }

  /** An agent socket after its `ready` frame. */
  async readySocket(): Promise<FrameSocket<AgentServerFrame>> {
    const socket = await this.socket();
    await socket.next((f) => f.type === 'ready');
    return socket;
  }
}

/**
 * A WebSocket that records every frame so tests can wait for the one they expect (by event,
 * never by sleeping) and assert on what arrived.
 */
export class FrameSocket<F extends { type: string }> {
  readonly frames: F[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse((data as Buffer).toString()) as F);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  /**
   * Tries to open a socket the server is expected to refuse during the upgrade; resolves with
   * the HTTP status of the refusal (and fails the test if the upgrade succeeds).
   */
  static refusal(
    url: string,
    options: { origin?: string; headers?: Record<string, string> } = {},
  ): Promise<number> {
    const ws = new WebSocket(url, {
      ...(options.origin ? { origin: options.origin } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        ws.close();
        reject(new Error('the upgrade was accepted'));
      });
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        ws.terminate();
      });
      ws.once('error', (error) => reject(error));
    });
  }

  static open<F extends { type: string }>(
    url: string,
    options: { origin?: string; headers?: Record<string, string> } = {},
  ): Promise<FrameSocket<F>> {
    const ws = new WebSocket(url, {
      ...(options.origin ? { origin: options.origin } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new FrameSocket<F>(ws)));
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade refused: ${res.statusCode}`)),
      );
      ws.once('error', reject);
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** How many frames arrived so far: pass it as `from` to wait only for later frames. */
  mark(): number {
    return this.frames.length;
  }

  /** Frames of one type received so far (from index `from`). */
  all<T extends F['type']>(type: T, from = 0): Array<Extract<F, { type: T }>> {
    return this.frames.slice(from).filter((f): f is Extract<F, { type: T }> => f.type === type);
  }

  /** Waits until `count` frames (from index `from`) match, and returns them. */
  async many<T extends F = F>(
    count: number,
    match: (frame: F) => boolean,
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<T[]> {
    const from = options.from ?? 0;
    await this.next(() => this.frames.slice(from).filter(match).length >= count, options);
    return this.frames.slice(from).filter(match) as T[];
  }

  /** Waits for the first frame (from index `from`) that matches, and returns it. */
  async next<T extends F = F>(
    match: (frame: F) => boolean,
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<T> {
    const deadline = Date.now() + (options.timeoutMs ?? 5000);
    for (;;) {
      const found = this.frames.slice(options.from ?? 0).find(match);
      if (found) return found as T;
      if (this.closed) throw new Error(`socket closed (${this.closed.code}) before the frame came`);
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`timed out; frames so far: ${JSON.stringify(this.frames).slice(0, 2000)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves when the server closes the socket. */
  async closedWith(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('socket did not close');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.closed;
  }

  close(): void {
    this.ws.close();
  }
}

/** A visitor socket with its auth frame sent (wait for `ready` before relying on it). */
export async function visitorSocket(
  wsUrl: string,
  token: string,
  options: { resume?: Array<{ conversationId: string; afterSeq: number }>; origin?: string } = {},
): Promise<FrameSocket<VisitorServerFrame>> {
  const socket = await FrameSocket.open<VisitorServerFrame>(`${wsUrl}/ws/visitor`, {
    origin: options.origin ?? SITE_ORIGIN,
  });
  socket.send({ type: 'auth', token, resume: options.resume ?? [] });
  return socket;
}

/** A visitor socket after its `ready` frame. */
export async function readyVisitorSocket(
  wsUrl: string,
  token: string,
  options: { resume?: Array<{ conversationId: string; afterSeq: number }>; origin?: string } = {},
): Promise<FrameSocket<VisitorServerFrame>> {
  const socket = await visitorSocket(wsUrl, token, options);
  await socket.next((f) => f.type === 'ready');
  return socket;
}

/** Sends a message over a socket and waits for its ack; returns the stored message. */
export async function sendAndAck<F extends { type: string }>(
  socket: FrameSocket<F>,
  frame: { clientMessageId: string; body: string; conversationId?: string },
): Promise<Message> {
  const from = socket.mark();
  socket.send({ type: 'send', ...frame });
  const ack = await socket.next(
    (f) =>
      (f.type === 'ack' || f.type === 'error') &&
      (f as { clientMessageId?: string }).clientMessageId === frame.clientMessageId,
    { from },
  );
  if (ack.type !== 'ack') throw new Error(`send refused: ${JSON.stringify(ack)}`);
  return (ack as unknown as { message: Message }).message;
}

/** A new visitor of `acme`, connected, who has sent a first message (so has a conversation). */
export async function startConversation(
  server: { url: string; wsUrl: string },
  options: { session?: Partial<StartSessionRequest>; body?: string } = {},
): Promise<{
  session: StartSessionResponse;
  socket: FrameSocket<VisitorServerFrame>;
  conversationId: string;
  first: Message;
}> {
  const started = await startSession(server.url, options.session ?? {});
  if (started.status !== 201) throw new Error(`session start failed: ${started.status}`);
  const socket = await readyVisitorSocket(server.wsUrl, started.body.visitorToken);
  const first = await sendAndAck(socket, {
    clientMessageId: `first-${started.body.visitorId.slice(-8)}`,
    body: options.body ?? 'Hello, I need help',
  });
  return { session: started.body, socket, conversationId: first.conversationId, first };
}
