import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  /** The request's path and query: which of the receiver's addresses it was sent to. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  eventId: string;
  type: string;
  /** The parsed body. */
  event: { id: string; type: string; createdAt: string; projectId: string; data: HookData };
}

/** What the tests read of `data` (the wire contract is in protocol/webhook.ts). */
interface HookData {
  conversation?: { id: string; status: string };
  message?: { id: string; seq: number; body: string };
  contact?: { externalId: string; changed?: string[] };
  [key: string]: unknown;
}

/** What the receiver answers to one request: a status, after a wait, or never (hang). */
export type HookAnswer = { status: number; location?: string; delayMs?: number } | 'hang';

/**
 * A site's webhook receiver on 127.0.0.1: records every request and answers as `answer` says
 * (default 200). Tests await what they expect with `until`, never a fixed sleep.
 */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  answer: (hook: ReceivedHook, attempt: number) => HookAnswer = () => ({ status: 200 });
  private readonly waiters = new Set<() => void>();
  private readonly hanging = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(path = '/hooks'): Promise<WebhookReceiver> {
    const holder: { receiver?: WebhookReceiver } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () =>
        holder.receiver!.handle(req.url ?? '/', req.headers, Buffer.concat(chunks).toString(), res),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}${path}`);
    return holder.receiver;
  }

  private handle(
    path: string,
    headers: IncomingHttpHeaders,
    body: string,
    res: ServerResponse,
  ): void {
    const event = JSON.parse(body) as ReceivedHook['event'];
    const hook: ReceivedHook = { path, headers, body, eventId: event.id, type: event.type, event };
    const attempt = this.received.filter((h) => h.eventId === hook.eventId).length + 1;
    this.received.push(hook);
    for (const wake of [...this.waiters]) wake();
    const answer = this.answer(hook, attempt);
    if (answer === 'hang') {
      this.hanging.add(() => res.destroy());
      return;
    }
    const send = () => {
      res.writeHead(answer.status, answer.location ? { location: answer.location } : {});
      res.end(answer.status < 300 ? 'ok' : `nope: token=sk_live_0123456789abcdefghijklmnop`);
    };
    if (answer.delayMs) setTimeout(send, answer.delayMs);
    else send();
  }

  /** Resolves once `check` holds of what was received (checked on every request). */
  until<T>(
    check: (received: ReceivedHook[]) => T | undefined | false,
    timeoutMs = 10_000,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const test = () => {
        const value = check(this.received);
        if (value !== undefined && value !== false) {
          this.waiters.delete(test);
          clearTimeout(timer);
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(test);
        reject(
          new Error(
            `webhook receiver: still waiting after ${timeoutMs} ms (${this.received.length} received)`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(test);
      test();
    });
  }

  async close(): Promise<void> {
    for (const end of this.hanging) end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
