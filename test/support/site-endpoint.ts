import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** What a fake site endpoint does with one request. */
export type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;

export interface Hit {
  method: string;
  path: string;
  /** The request target exactly as it arrived (path and query, nothing decoded). */
  target: string;
  /** The external id the request was for (path segment, `id` query value or POST body). */
  externalId: string | null;
  headers: IncomingMessage['headers'];
  /** Settles when the connection that carried this request is closed (by either side). */
  closed: Promise<void>;
}

/**
 * A real HTTP server on a loopback address that plays a site's user endpoint, misbehaving on
 * demand. Behaviours are chosen per external id (`GET /users/{id}`), so one server serves every
 * case of a suite. Every request is counted, so tests can prove that a blocked address was never
 * reached.
 */
export class SiteEndpoint {
  readonly hits: Hit[] = [];
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly events = new EventEmitter();

  private constructor(
    private readonly server: Server,
    readonly host: string,
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res));
  }

  static async start(options: { host?: string; port?: number } = {}): Promise<SiteEndpoint> {
    const endpoint = new SiteEndpoint(createServer(), options.host ?? '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      endpoint.server.once('error', reject);
      endpoint.server.listen(options.port ?? 0, endpoint.host, resolve);
    });
    return endpoint;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `http://host:port` */
  get origin(): string {
    return `http://${this.host}:${this.port}`;
  }

  /** The path-style URL template to configure in Palaver. */
  get template(): string {
    return `${this.origin}/users/{id}`;
  }

  /** Sets what the endpoint does for this external id from now on. */
  on(externalId: string, behaviour: Behaviour): this {
    this.behaviours.set(externalId, behaviour);
    return this;
  }

  hitsFor(externalId: string): Hit[] {
    return this.hits.filter((h) => h.externalId === externalId);
  }

  /** Resolves once `count` requests for this id have arrived (their answers may be pending). */
  async reached(externalId: string, count = 1): Promise<void> {
    while (this.hitsFor(externalId).length < count) {
      await new Promise((resolve) => this.events.once('hit', resolve));
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://site.invalid');
    const match = /^\/users\/([^/]+)$/.exec(url.pathname);
    const record = (externalId: string | null) => {
      const socket = req.socket;
      this.hits.push({
        method: req.method ?? '',
        path: url.pathname,
        target: req.url ?? '',
        externalId,
        headers: req.headers,
        // The response's close: the answer ended or the connection under it went away. (Listening
        // on the keep-alive socket itself would pile up one listener per request.)
        closed: socket.destroyed
          ? Promise.resolve()
          : new Promise((resolve) => res.once('close', () => resolve())),
      });
      this.events.emit('hit');
      const behaviour = externalId === null ? undefined : this.behaviours.get(externalId);
      (behaviour ?? status(404))(req, res);
    };
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        let id: string | null = null;
        try {
          id =
            (JSON.parse(Buffer.concat(chunks).toString()) as { externalId?: string }).externalId ??
            null;
        } catch {
          // not JSON: no id
        }
        record(id);
      });
      return;
    }
    record(match?.[1] ? decodeURIComponent(match[1]) : url.searchParams.get('id'));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// ---- behaviours ----

export function json(body: unknown, code = 200, headers: Record<string, string> = {}): Behaviour {
  return (_req, res) =>
    res
      .writeHead(code, { 'content-type': 'application/json', ...headers })
      .end(JSON.stringify(body));
}

/** A body sent as is, with the given content type (or none). */
export function raw(body: string | Buffer, contentType: string | null, code = 200): Behaviour {
  return (_req, res) =>
    res.writeHead(code, contentType ? { 'content-type': contentType } : {}).end(body);
}

export function status(code: number, headers: Record<string, string> = {}): Behaviour {
  return (_req, res) => res.writeHead(code, headers).end();
}

/** Accepts the request and never answers. */
export function hang(): Behaviour {
  return () => undefined;
}

/** Sends valid-looking JSON headers, then one byte every `everyMs`, forever. */
export function drip(everyMs = 500): Behaviour {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{');
    const timer = setInterval(() => res.write(' '), everyMs);
    res.on('close', () => clearInterval(timer));
  };
}

/**
 * A JSON answer of `bytes` bytes streamed with backpressure (so the fake never holds it all),
 * with or without a Content-Length. `sent` tells how much actually left before the reader quit.
 */
export function huge(bytes: number, withLength: boolean, sent: { bytes: number }): Behaviour {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  return (_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(withLength ? { 'content-length': String(bytes) } : {}),
    });
    let left = bytes;
    const pump = () => {
      while (left > 0 && !res.destroyed) {
        const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= part.length;
        sent.bytes += part.length;
        if (!res.write(part)) {
          res.once('drain', pump);
          return;
        }
      }
      if (left === 0) res.end();
    };
    res.on('close', () => (left = 0));
    pump();
  };
}

/** A small gzip body that inflates to `inflated` bytes of valid-looking JSON. */
export function gzipBomb(inflated: number): Behaviour {
  const body = gzipSync(
    Buffer.concat([
      Buffer.from('{"first_name":"'),
      Buffer.alloc(inflated, 0x61),
      Buffer.from('"}'),
    ]),
    { level: 9 },
  );
  return (_req, res) =>
    res
      .writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': String(body.length),
      })
      .end(body);
}

/** Answers with the request's own headers in the body (a site that echoes what it got). */
export function echoHeaders(code: number, contentType = 'application/json'): Behaviour {
  return (req, res) =>
    res.writeHead(code, { 'content-type': contentType }).end(JSON.stringify(req.headers));
}

// ---- a data-sync endpoint, built like the data-sync contract's reference example ----

export interface DataSyncUser {
  displayName: string;
  email?: string;
  customData?: Record<string, unknown>;
}

/**
 * A site's data-sync endpoint written to that contract's reference: one fixed URL taking
 * `POST {"externalId"}` with a shared secret header; `200 {"status":"ok","externalId",…}` for a
 * known user, `400 {"status":"bad_request"}` when it cannot resolve the user, `403
 * {"status":"forbidden"}` for a wrong secret, `404` for any other path.
 */
export class DataSyncSite {
  static readonly PATH = '/api/palaver/user-data';
  static readonly SECRET_HEADER = 'x-palaver-sync-secret';
  readonly users = new Map<string, DataSyncUser>();
  readonly hits: Array<{ method: string; target: string; externalId: unknown }> = [];
  /** A buggy site: answers every request about this user instead. */
  answersAbout: string | null = null;

  private constructor(
    private readonly server: Server,
    readonly secret: string,
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res));
  }

  static async start(secret: string): Promise<DataSyncSite> {
    const site = new DataSyncSite(createServer(), secret);
    await new Promise<void>((resolve) => site.server.listen(0, '127.0.0.1', resolve));
    return site;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${DataSyncSite.PATH}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: { externalId?: unknown } = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as typeof body;
      } catch {
        // a body that is not JSON resolves no user
      }
      this.hits.push({
        method: req.method ?? '',
        target: req.url ?? '',
        externalId: body.externalId,
      });
      const answer = (code: number, payload: unknown) =>
        res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      // Routed on the path alone, as web frameworks do (a query string is ignored).
      const path = new URL(req.url ?? '/', 'http://site.invalid').pathname;
      if (req.method !== 'POST' || path !== DataSyncSite.PATH) {
        answer(404, { status: 'not_found' });
      } else if (req.headers[DataSyncSite.SECRET_HEADER] !== this.secret) {
        answer(403, { status: 'forbidden' });
      } else {
        const id = this.answersAbout ?? body.externalId;
        const user = typeof id === 'string' ? this.users.get(id) : undefined;
        if (!user) answer(400, { status: 'bad_request' });
        else answer(200, { status: 'ok', externalId: id, ...user });
      }
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
