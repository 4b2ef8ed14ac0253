import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake card site does with one request; `body` is the request's raw body. */
export type CardBehaviour = (res: ServerResponse, body: string, req: IncomingMessage) => void;

export interface CardHit {
  path: string;
  headers: IncomingMessage['headers'];
  /** The raw body, exactly as signed. */
  raw: string;
  body: unknown;
}

/**
 * A real HTTP server on 127.0.0.1 playing a site's card endpoints, one behaviour per path
 * (`/cards/<name>`), counting every request so tests can prove how often the site was reached.
 */
export class CardSite {
  readonly hits: CardHit[] = [];
  private readonly behaviours = new Map<string, CardBehaviour>();
  private readonly events = new EventEmitter();

  private constructor(private readonly server: Server) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown = null;
        try {
          body = JSON.parse(raw);
        } catch {
          // not JSON: kept raw
        }
        const path = new URL(req.url ?? '/', 'http://site.invalid').pathname;
        this.hits.push({ path, headers: req.headers, raw, body });
        this.events.emit('hit');
        const behaviour = this.behaviours.get(path);
        if (behaviour) behaviour(res, raw, req);
        else res.writeHead(404).end();
      });
    });
  }

  static async start(): Promise<CardSite> {
    const site = new CardSite(createServer());
    await new Promise<void>((resolve) => site.server.listen(0, '127.0.0.1', resolve));
    return site;
  }

  /** The URL of the card endpoint `name`, answering with `behaviour` from now on. */
  on(name: string, behaviour: CardBehaviour): string {
    this.behaviours.set(`/cards/${name}`, behaviour);
    return this.url(name);
  }

  url(name: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/cards/${name}`;
  }

  hitsOf(name: string): CardHit[] {
    return this.hits.filter((h) => h.path === `/cards/${name}`);
  }

  /** Resolves once `count` requests for `name` have arrived (their answers may be pending). */
  async reached(name: string, count = 1): Promise<void> {
    while (this.hitsOf(name).length < count) {
      await new Promise((resolve) => this.events.once('hit', resolve));
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Answers JSON with `code`. */
export function answer(body: unknown, code = 200): CardBehaviour {
  return (res) =>
    res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Answers `text` with a content type of the test's choosing. */
export function rawAnswer(text: string, contentType: string): CardBehaviour {
  return (res) => res.writeHead(200, { 'content-type': contentType }).end(text);
}

/** Answers only once `release` is called (with JSON), so tests hold a call in flight. */
export function held(body: unknown): { behaviour: CardBehaviour; release(): void } {
  const waiting: ServerResponse[] = [];
  let released = false;
  const send = (res: ServerResponse) => answer(body)(res, '', undefined as never);
  return {
    behaviour: (res) => (released ? send(res) : void waiting.push(res)),
    release() {
      released = true;
      waiting.splice(0).forEach(send);
    },
  };
}
