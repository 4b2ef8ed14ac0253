import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import * as z from 'zod/mini';
import { readOrCreateFile } from './data-file.js';
import { DEFAULT_DATABASE_TIMEOUT_MS } from './store/index.js';
import { parseAllowList, type AllowList, type AllowListError } from './outbound/index.js';
import {
  DEFAULT_LOGIN_RATE_LIMIT,
  DEFAULT_RATE_LIMITS,
  parseTrustProxy,
  type RateLimits,
  type TrustProxy,
} from './limits/index.js';

/** Everything the server reads from its environment, validated once at start. */
export interface Config {
  port: number;
  host: string;
  /** `sqlite:<path>` (default, under ./data) or `postgres://…`. */
  databaseUrl: string;
  dataDir: string;
  publicUrl: string;
  /** 32-byte key for AES-256-GCM encryption of secrets at rest. */
  secretKey: Buffer;
  /** Set when the key was generated into the data directory instead of read from the environment. */
  secretKeyGenerated: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * Which proxies in front of us may say who the client is (`X-Forwarded-*`): for rate limits
   * per address, and for Secure cookies behind https.
   */
  trustProxy: TrustProxy;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  /** Failed sign-ins allowed per client address in 15 minutes. */
  loginRateLimit: number;
  /** Session and message limits per client address and per visitor; API requests per key. */
  rateLimits: RateLimits;
  /** Outbound calls to site endpoints: private hosts allowed, and whether plain http is. */
  identity: IdentityConfig;
  /** Redis for the realtime bus across instances; unset = one process, in-memory bus. */
  redisUrl: string | undefined;
  /** Prefix of Palaver's Redis channels and keys, so that deployments can share one Redis. */
  redisPrefix: string;
  /** PostgreSQL: how long a query or a new connection may take before the request gets a 503. */
  databaseTimeoutMs: number;
}

export interface IdentityConfig {
  allowedPrivateHosts: AllowList;
  allowHttp: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const positiveInt = z.pipe(
  z.string().check(z.regex(/^[1-9]\d*$/, 'Use a whole number of at least 1')),
  z.transform(Number),
);

const Env = z.object({
  PORT: z.optional(z.pipe(z.coerce.number(), z.int().check(z.gte(0), z.lte(65535)))),
  HOST: z.optional(z.string()),
  DATABASE_URL: z.optional(z.string().check(z.minLength(1))),
  PALAVER_DATA_DIR: z.optional(z.string().check(z.minLength(1))),
  PUBLIC_URL: z.optional(z.url({ protocol: /^https?$/ })),
  PALAVER_SECRET_KEY: z.optional(z.string()),
  LOG_LEVEL: z.optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  TRUST_PROXY: z.optional(z.string()),
  PALAVER_ADMIN_EMAIL: z.optional(z.string()),
  PALAVER_ADMIN_PASSWORD: z.optional(z.string()),
  PALAVER_LOGIN_RATE_LIMIT: z.optional(positiveInt),
  PALAVER_SESSION_RATE_LIMIT: z.optional(positiveInt),
  PALAVER_VISITOR_MESSAGE_RATE_LIMIT: z.optional(positiveInt),
  PALAVER_ADDRESS_MESSAGE_RATE_LIMIT: z.optional(positiveInt),
  PALAVER_API_KEY_RATE_LIMIT: z.optional(positiveInt),
  PALAVER_ALLOWED_PRIVATE_HOSTS: z.optional(z.string()),
  REDIS_URL: z.optional(z.url({ protocol: /^rediss?$/ })),
  PALAVER_REDIS_PREFIX: z.optional(z.string().check(z.regex(/^[A-Za-z0-9:_-]{1,64}$/))),
  PALAVER_ALLOW_HTTP_ENDPOINTS: z.optional(z.enum(['0', '1', 'true', 'false'])),
  PALAVER_DATABASE_TIMEOUT_MS: z.optional(
    z.pipe(z.coerce.number(), z.int().check(z.gte(100), z.lte(600_000))),
  ),
});

/** Accepts 64 hex characters or base64 of 32 bytes. */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(
      'PALAVER_SECRET_KEY must be 32 bytes as 64 hex characters or base64 (generate one with `openssl rand -hex 32`)',
    );
  }
  return key;
}

function loadOrCreateKey(dataDir: string): Buffer {
  return parseSecretKey(
    readOrCreateFile(resolve(dataDir, 'secret.key'), () => randomBytes(32).toString('hex') + '\n'),
  );
}

function trustProxy(text: string | undefined): TrustProxy {
  try {
    return parseTrustProxy(text);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

function allowList(text: string | undefined): AllowList {
  try {
    return parseAllowList(text);
  } catch (error) {
    throw new ConfigError((error as AllowListError).message);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const port = e.PORT ?? 8787;
  const host = e.HOST ?? '0.0.0.0';
  const dataDir = resolve(e.PALAVER_DATA_DIR ?? 'data');
  const fromEnv = e.PALAVER_SECRET_KEY;
  const secretKey = fromEnv ? parseSecretKey(fromEnv) : loadOrCreateKey(dataDir);
  return {
    port,
    host,
    databaseUrl: e.DATABASE_URL ?? `sqlite:${resolve(dataDir, 'palaver.sqlite')}`,
    dataDir,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    secretKey,
    secretKeyGenerated: !fromEnv,
    logLevel: e.LOG_LEVEL ?? 'info',
    trustProxy: trustProxy(e.TRUST_PROXY),
    adminEmail: e.PALAVER_ADMIN_EMAIL,
    adminPassword: e.PALAVER_ADMIN_PASSWORD,
    loginRateLimit: e.PALAVER_LOGIN_RATE_LIMIT ?? DEFAULT_LOGIN_RATE_LIMIT,
    rateLimits: {
      sessionsPerAddress: e.PALAVER_SESSION_RATE_LIMIT ?? DEFAULT_RATE_LIMITS.sessionsPerAddress,
      messagesPerVisitor:
        e.PALAVER_VISITOR_MESSAGE_RATE_LIMIT ?? DEFAULT_RATE_LIMITS.messagesPerVisitor,
      messagesPerAddress:
        e.PALAVER_ADDRESS_MESSAGE_RATE_LIMIT ?? DEFAULT_RATE_LIMITS.messagesPerAddress,
      requestsPerApiKey: e.PALAVER_API_KEY_RATE_LIMIT ?? DEFAULT_RATE_LIMITS.requestsPerApiKey,
    },
    redisUrl: e.REDIS_URL,
    redisPrefix: e.PALAVER_REDIS_PREFIX ?? 'palaver:',
    databaseTimeoutMs: e.PALAVER_DATABASE_TIMEOUT_MS ?? DEFAULT_DATABASE_TIMEOUT_MS,
    identity: {
      allowedPrivateHosts: allowList(e.PALAVER_ALLOWED_PRIVATE_HOSTS),
      allowHttp:
        e.PALAVER_ALLOW_HTTP_ENDPOINTS === '1' || e.PALAVER_ALLOW_HTTP_ENDPOINTS === 'true',
    },
  };
}
