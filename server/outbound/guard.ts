import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type * as UndiciModule from 'undici';
import type { Agent } from 'undici';
import type { AddressPolicy } from './address-policy.js';
import { OutboundError } from './errors.js';

type Undici = typeof UndiciModule;

/** Resolves a host name to its addresses; injectable so tests can play DNS rebinding. */
export type Resolver = (hostname: string) => Promise<string[]>;

const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

export interface GuardedClientOptions {
  policy: AddressPolicy;
  allowHttp: boolean;
  resolver?: Resolver;
}

export interface GuardedRequest {
  url: URL;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Total deadline: connect, headers and the whole body. */
  deadlineMs: number;
  /** Cap on the decoded body. */
  maxBytes: number;
}

export interface GuardedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function headerValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/**
 * The one HTTP client for every request Palaver makes to an address a site configured. It
 * resolves the host itself, checks every address against the policy, and connects to the checked
 * address (so DNS rebinding between check and connect is impossible); follows no redirects;
 * enforces one deadline over connect, headers and body; and caps the body after decompression.
 */
export class GuardedHttpClient {
  private readonly resolver: Resolver;
  /**
   * undici loads with the first call: it was ~120 ms of a ~1.1 s cold start (bench/cold-start.ts)
   * in a process that may never call a site.
   */
  private client: Promise<{ undici: Undici; agent: Agent }> | null = null;

  constructor(private readonly options: GuardedClientOptions) {
    this.resolver = options.resolver ?? systemResolver;
  }

  /**
   * Loads undici now, off any call: the first call would otherwise hold the event loop (and a
   * live chat's messages) while it loads.
   */
  warm(): void {
    void this.ready();
  }

  private ready(): Promise<{ undici: Undici; agent: Agent }> {
    this.client ??= import('undici').then((undici) => ({ undici, agent: this.newAgent(undici) }));
    return this.client;
  }

  private newAgent(undici: Undici): Agent {
    const connect = undici.buildConnector({ timeout: 10_000 });
    return new undici.Agent({
      connections: 32,
      connect: (connectOptions, callback) => {
        const port =
          Number(connectOptions.port) || (connectOptions.protocol === 'https:' ? 443 : 80);
        this.pickAddress(connectOptions.hostname, port).then(
          (address) =>
            connect(
              {
                ...connectOptions,
                hostname: address,
                // TLS still verifies the certificate for the configured name.
                ...(isIP(stripBrackets(connectOptions.hostname))
                  ? {}
                  : { servername: connectOptions.hostname }),
              },
              callback,
            ),
          (error: unknown) => callback(error as Error, null),
        );
      },
    });
  }

  private async pickAddress(rawHostname: string, port: number): Promise<string> {
    const hostname = stripBrackets(rawHostname);
    let addresses: string[];
    if (isIP(hostname)) {
      addresses = [hostname];
    } else {
      try {
        addresses = await this.resolver(hostname);
      } catch {
        throw new OutboundError('dns', `The host name ${hostname} could not be resolved`);
      }
    }
    if (addresses.length === 0) {
      throw new OutboundError('dns', `The host name ${hostname} has no addresses`);
    }
    // Every address must pass: otherwise a mixed answer could smuggle a private one in.
    for (const address of addresses) {
      const problem = this.options.policy.check(hostname, address, port);
      if (problem) {
        throw new OutboundError('blocked_address', `Refused to connect to ${hostname}: ${problem}`);
      }
    }
    return addresses[0] as string;
  }

  async request(req: GuardedRequest): Promise<GuardedResponse> {
    const protocol = req.url.protocol;
    if (protocol !== 'https:' && !(protocol === 'http:' && this.options.allowHttp)) {
      throw new OutboundError('config', `Only https URLs are allowed (got ${protocol})`);
    }
    if (req.url.username || req.url.password) {
      throw new OutboundError('config', 'URLs with credentials are not allowed');
    }
    const { undici, agent } = await this.ready();
    const signal = AbortSignal.timeout(req.deadlineMs);
    try {
      const response = await undici.request(req.url, {
        dispatcher: agent,
        method: req.method,
        headers: req.headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        signal,
        headersTimeout: req.deadlineMs,
        bodyTimeout: req.deadlineMs,
      });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        headers[name.toLowerCase()] = headerValue(value);
      }
      const declared = Number(headers['content-length']);
      if (Number.isFinite(declared) && declared > req.maxBytes && !headers['content-encoding']) {
        response.body.destroy();
        throw new OutboundError('too_large', `The answer is larger than ${req.maxBytes} bytes`);
      }
      const body = await readCapped(
        response.body,
        headers['content-encoding'],
        req.maxBytes,
        signal,
      );
      return { status: response.statusCode, headers, body };
    } catch (error) {
      throw toFetchError(error, signal, req.deadlineMs, undici.errors);
    }
  }

  /**
   * Shutdown aborts calls still in flight instead of waiting for them: a site that hangs must not
   * hold the process for the whole deadline (start.ts gives shutdown 10 s in all).
   */
  async close(): Promise<void> {
    if (!this.client) return;
    const { agent } = await this.client;
    await agent.destroy(new OutboundError('shutdown', 'Palaver is shutting down'));
  }
}

function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

async function readCapped(
  body: Readable,
  encoding: string | undefined,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Buffer> {
  const decoders: Record<string, () => NodeJS.ReadWriteStream> = {
    gzip: () => createGunzip(),
    'x-gzip': () => createGunzip(),
    deflate: () => createInflate(),
    br: () => createBrotliDecompress(),
  };
  const name = (encoding ?? '').trim().toLowerCase();
  let stream: Readable = body;
  if (name && name !== 'identity') {
    const make = decoders[name];
    if (!make) {
      body.destroy();
      throw new OutboundError('bad_content_type', `Unsupported content encoding "${name}"`);
    }
    stream = body.pipe(make()) as unknown as Readable;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      // Counting decoded bytes is what defuses compression bombs.
      if (size > maxBytes) {
        throw new OutboundError('too_large', `The answer is larger than ${maxBytes} bytes`);
      }
      chunks.push(buffer);
      if (signal.aborted) throw signal.reason;
    }
  } catch (error) {
    body.destroy();
    stream.destroy();
    if (error instanceof OutboundError) throw error;
    if (!signal.aborted && isZlibError(error)) {
      throw new OutboundError('bad_json', 'The answer is not validly compressed');
    }
    throw error;
  }
  return Buffer.concat(chunks);
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

function toFetchError(
  error: unknown,
  signal: AbortSignal,
  deadlineMs: number,
  undiciErrors: Undici['errors'],
): OutboundError {
  if (error instanceof OutboundError) return error;
  if (
    signal.aborted ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError
  ) {
    return new OutboundError('timeout', `No complete answer within ${deadlineMs / 1000} s`);
  }
  if (error instanceof undiciErrors.ConnectTimeoutError) {
    return new OutboundError('timeout', 'Connecting took too long');
  }
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof OutboundError) return cause;
  const code = errorCodeOf(error) ?? errorCodeOf(cause) ?? '';
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || code === 'EPROTO') {
    return new OutboundError('tls', 'The TLS connection failed (certificate or protocol)');
  }
  if (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'EHOSTUNREACH' ||
    code === 'ENETUNREACH'
  ) {
    return new OutboundError('connect', `The connection failed (${code})`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new OutboundError('dns', 'The host name could not be resolved');
  }
  return new OutboundError('network', 'The request failed before an answer arrived');
}

/** A Node or undici error's `code` ("ECONNREFUSED", "ERR_TLS_…"), when it has one. */
function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
