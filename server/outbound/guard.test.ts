import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressPolicy, parseAllowList } from './address-policy.js';
import { OutboundError } from './errors.js';
import { GuardedHttpClient, type Resolver } from './guard.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let port: number;
let hits = 0;
const routes = new Map<string, Handler>();

beforeAll(async () => {
  server = createServer((req, res) => {
    hits += 1;
    const handler = routes.get(req.url ?? '');
    if (handler) handler(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

const allowLoopback = createAddressPolicy(parseAllowList('127.0.0.1'));
const client = (policy = allowLoopback, resolver?: Resolver) =>
  new GuardedHttpClient({ policy, allowHttp: true, ...(resolver ? { resolver } : {}) });

async function failure(promise: Promise<unknown>): Promise<OutboundError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OutboundError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

const get = (c: GuardedHttpClient, path: string, host = `127.0.0.1:${port}`, deadlineMs = 2000) =>
  c.request({
    url: new URL(`http://${host}${path}`),
    method: 'GET',
    headers: { accept: 'application/json' },
    deadlineMs,
    maxBytes: 256 * 1024,
  });

describe('the guarded outbound client', () => {
  it('fetches from an allowed address', async () => {
    routes.set('/ok', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}'),
    );
    const answer = await get(client(), '/ok');
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe('{"a":1}');
  });

  it('refuses loopback unless allow-listed, without sending anything', async () => {
    routes.set('/canary', (_req, res) => res.end('{}'));
    const before = hits;
    const error = await failure(get(client(createAddressPolicy(parseAllowList(''))), '/canary'));
    expect(error.errorClass).toBe('blocked_address');
    expect(hits).toBe(before);
  });

  it('refuses a host name that resolves to loopback', async () => {
    const before = hits;
    const resolver: Resolver = () => Promise.resolve(['127.0.0.1']);
    const strict = client(createAddressPolicy(parseAllowList('')), resolver);
    const error = await failure(get(strict, '/canary', `evil.example:${port}`));
    expect(error.errorClass).toBe('blocked_address');
    expect(hits).toBe(before);
  });

  it('defeats DNS rebinding: the checked address is the one connected to', async () => {
    let calls = 0;
    // First answer public, every later one loopback: a second lookup at connect time would lose.
    const rebinding: Resolver = () =>
      Promise.resolve([calls++ === 0 ? '93.184.216.34' : '127.0.0.1']);
    const before = hits;
    const strict = client(createAddressPolicy(parseAllowList('')), rebinding);
    await failure(get(strict, '/canary', `rebind.example:${port}`, 300));
    expect(hits).toBe(before);
  });

  it('refuses when any resolved address is private', async () => {
    const mixed: Resolver = () => Promise.resolve(['93.184.216.34', '10.0.0.1']);
    const error = await failure(
      get(client(createAddressPolicy(parseAllowList('')), mixed), '/x', 'mixed.example'),
    );
    expect(error.errorClass).toBe('blocked_address');
  });

  it('does not connect to an allow-listed host name written with a trailing dot', async () => {
    routes.set('/dot', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    );
    const resolver: Resolver = () => Promise.resolve(['127.0.0.1']);
    const named = client(createAddressPolicy(parseAllowList('users.internal')), resolver);
    expect((await get(named, '/dot', `users.internal:${port}`)).status).toBe(200);
    const before = hits;
    const error = await failure(get(named, '/dot', `users.internal.:${port}`));
    expect(error.errorClass).toBe('blocked_address');
    expect(hits).toBe(before);
  });

  it('connects to an allow-listed host only under its exact name and, if listed, port', async () => {
    routes.set('/exact', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    );
    const resolver: Resolver = () => Promise.resolve(['127.0.0.1']);
    const exact = client(createAddressPolicy(parseAllowList(`users.internal:${port}`)), resolver);
    expect((await get(exact, '/exact', `users.internal:${port}`)).status).toBe(200);
    expect((await get(exact, '/exact', `USERS.Internal:${port}`)).status).toBe(200);

    const before = hits;
    for (const host of [
      `users.internal.:${port}`,
      `users.internal:${port + 1}`,
      'users.internal',
    ]) {
      const error = await failure(get(exact, '/exact', host));
      expect(error.errorClass, host).toBe('blocked_address');
    }
    expect(hits).toBe(before);

    // An IP entry with a port, in the URL as a literal: the same rule.
    const byIp = client(createAddressPolicy(parseAllowList(`127.0.0.1:${port}`)));
    expect((await get(byIp, '/exact')).status).toBe(200);
    const wrongPort = await failure(get(byIp, '/exact', `127.0.0.1:${port + 1}`));
    expect(wrongPort.message).toMatch(new RegExp(`port ${port} only`));
  });

  it('does not follow redirects', async () => {
    routes.set('/redirect', (_req, res) =>
      res.writeHead(302, { location: 'http://169.254.169.254/' }).end(),
    );
    const answer = await get(client(), '/redirect');
    expect(answer.status).toBe(302);
  });

  it('gives up when headers never come', async () => {
    routes.set('/hang', () => undefined);
    expect((await failure(get(client(), '/hang', undefined, 300))).errorClass).toBe('timeout');
  });

  it('applies the deadline to a body that drips', async () => {
    routes.set('/drip', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    });
    expect((await failure(get(client(), '/drip', undefined, 400))).errorClass).toBe('timeout');
  });

  it('caps the body with and without Content-Length', async () => {
    const big = Buffer.alloc(300 * 1024, 0x20);
    routes.set('/big-cl', (_req, res) =>
      res.writeHead(200, { 'content-length': big.length }).end(big),
    );
    routes.set('/big-chunked', (_req, res) => {
      res.writeHead(200);
      res.write(big.subarray(0, 200 * 1024));
      res.end(big.subarray(200 * 1024));
    });
    expect((await failure(get(client(), '/big-cl'))).errorClass).toBe('too_large');
    expect((await failure(get(client(), '/big-chunked'))).errorClass).toBe('too_large');
  });

  it('caps a gzip bomb by its decoded size', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    routes.set('/bomb', (_req, res) =>
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': bomb.length }).end(bomb),
    );
    expect(bomb.length).toBeLessThan(256 * 1024);
    expect((await failure(get(client(), '/bomb'))).errorClass).toBe('too_large');
  });

  it('decodes a small gzip answer', async () => {
    const small = gzipSync('{"first_name":"Ada"}');
    routes.set('/gz', (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(small));
    expect((await get(client(), '/gz')).body.toString()).toBe('{"first_name":"Ada"}');
  });

  it('refuses plain http unless allowed, and URLs with credentials', async () => {
    const httpsOnly = new GuardedHttpClient({ policy: allowLoopback, allowHttp: false });
    expect((await failure(get(httpsOnly, '/ok'))).errorClass).toBe('config');
    const error = await failure(
      client().request({
        url: new URL(`http://user:pw@127.0.0.1:${port}/ok`),
        method: 'GET',
        headers: {},
        deadlineMs: 1000,
        maxBytes: 1000,
      }),
    );
    expect(error.errorClass).toBe('config');
  });

  it('aborts calls in flight when closed instead of waiting for their deadline', async () => {
    let arrivals = 0;
    let arrived: () => void = () => undefined;
    const bothArrived = new Promise<void>((resolve) => (arrived = resolve));
    const note = () => {
      arrivals += 1;
      if (arrivals === 2) arrived();
    };
    routes.set('/hang-on-close', () => note());
    routes.set('/drip-on-close', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
      note();
    });
    const closing = client();
    const pending = [
      failure(get(closing, '/hang-on-close', undefined, 10_000)),
      failure(get(closing, '/drip-on-close', undefined, 10_000)),
    ];
    await bothArrived;
    const started = Date.now();
    await closing.close();
    const errors = await Promise.all(pending);
    expect(errors.map((e) => e.errorClass)).toEqual(['shutdown', 'shutdown']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports an unresolvable host as a DNS error', async () => {
    const failing: Resolver = () => Promise.reject(new Error('ENOTFOUND'));
    expect(
      (await failure(get(client(allowLoopback, failing), '/x', 'nowhere.invalid'))).errorClass,
    ).toBe('dns');
  });
});
