import WebSocket from 'ws';
import type {
  AgentServerFrame,
  AuthSession,
  StartSessionRequest,
  StartSessionResponse,
  VisitorServerFrame,
} from '../../protocol/index.js';
import { PROJECT_ID, SITE_ORIGIN } from './server.js';

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
    const headers: Record<string, string> = {
      cookie: this.cookie,
      'x-csrf-token': this.session.csrfToken,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }).then((r) => answer<T>(r));
  }

  socket(): Promise<FrameSocket<AgentServerFrame>> {
    return FrameSocket.open<AgentServerFrame>(this.baseUrl.replace(/^http/, 'ws') + '/ws/agent', {
      origin: this.baseUrl,
      headers: { cookie: this.cookie },
    });
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
      this.frames.push(JSON.parse(data.toString()) as F);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
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

/** A visitor socket, authenticated, after its `ready` frame. */
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
