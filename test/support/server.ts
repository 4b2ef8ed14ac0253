import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp, type PalaverApp } from '../../server/app.js';
import { parseAllowList, type Resolver } from '../../server/outbound/index.js';
import { createLogger } from '../../server/logger.js';
import { distDir } from '../../server/paths.js';
import { InProcessBus } from '../../server/realtime/index.js';
import { createServices, type ServiceDeps, type Services } from '../../server/services.js';
import { openPostgresStore, openSqliteStore } from '../../server/store/index.js';
import { runSql } from './services.js';

export const SITE_ORIGIN = 'http://shop.test';
export const ADMIN = { email: 'admin@test.local', password: 'admin-password-1' };
export const AGENT = { email: 'sam@test.local', password: 'agent-password-1' };
export const PROJECT_ID = 'acme';
/** The configured public URL; tests reach the server on 127.0.0.1 (same-host origin). */
export const PUBLIC_URL = 'http://palaver.test';
export const OTHER_PROJECT_ID = 'globex';
export const OTHER_SITE_ORIGIN = 'http://globex.test';
/** An agent who works only in `globex`. */
export const GLOBEX_AGENT = { email: 'gil@test.local', password: 'globex-password-1' };

export interface TestServer {
  url: string;
  wsUrl: string;
  /** The SQLite file, to check what survived a shutdown. Removed by `close()`. */
  dbFile: string;
  services: Services;
  palaver: PalaverApp;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Failed sign-ins allowed per client in the window (default: effectively unlimited). */
  loginRateLimit?: number;
  visitorAuthTimeoutMs?: number;
  /**
   * Outbound-call policy. Default: plain http allowed and loopback allow-listed, so tests can run
   * site endpoints on 127.0.0.1; SSRF tests pass an empty allow-list.
   */
  allowedPrivateHosts?: string;
  resolver?: Resolver;
  /** Every log line the server writes, for tests that check what never gets logged. */
  logLines?: string[];
  /** Store the data in a fresh schema of this PostgreSQL (dropped on close) instead of SQLite. */
  postgresUrl?: string;
  /** Public API requests per key per minute (default: effectively unlimited). */
  apiKeyRateLimit?: number;
  /** The clock of the services that take one (signing, webhooks); default the real one. */
  now?: () => Date;
  /** Webhook dispatch tuning (leases, polls, jitter, deadline). */
  webhookDispatch?: ServiceDeps['webhookDispatch'];
}

/**
 * A real Palaver server on an ephemeral port over a temp SQLite file, seeded with two projects,
 * an admin (member of both), an agent of `acme` only and an agent of `globex` only.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'palaver-test-'));
  const dbFile = join(dir, 'palaver.sqlite');
  const schema = `palaver_t_${randomBytes(5).toString('hex')}`;
  const pgUrl = options.postgresUrl;
  const store = pgUrl
    ? await openPostgresStore(pgUrl, { schema, poolSize: 4 })
    : await openSqliteStore(dbFile);
  const lines = options.logLines;
  const logger = lines
    ? createLogger('debug', { write: (line: string) => void lines.push(line) })
    : createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const services = createServices({
    store,
    bus: new InProcessBus(),
    logger,
    secretKey: randomBytes(32),
    identity: {
      allowHttp: true,
      allowedPrivateHosts: parseAllowList(options.allowedPrivateHosts ?? '127.0.0.1,localhost'),
    },
    ...(options.resolver ? { resolver: options.resolver } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.webhookDispatch ? { webhookDispatch: options.webhookDispatch } : {}),
  });
  await services.projects.create({
    id: PROJECT_ID,
    name: 'Acme',
    allowedOrigins: [SITE_ORIGIN],
  });
  await services.projects.create({
    id: OTHER_PROJECT_ID,
    name: 'Globex',
    allowedOrigins: [OTHER_SITE_ORIGIN],
  });
  await services.agents.create({
    ...ADMIN,
    name: 'Ada Admin',
    role: 'admin',
    projectIds: [PROJECT_ID, OTHER_PROJECT_ID],
  });
  await services.agents.create({
    ...AGENT,
    name: 'Sam Agent',
    role: 'agent',
    projectIds: [PROJECT_ID],
  });
  await services.agents.create({
    ...GLOBEX_AGENT,
    name: 'Gil Globex',
    role: 'agent',
    projectIds: [OTHER_PROJECT_ID],
  });

  const palaver = createApp(services, {
    publicUrl: PUBLIC_URL,
    trustProxy: false,
    loginRateLimit: options.loginRateLimit ?? 1000,
    // Every test client comes from 127.0.0.1; suites that test the limits set their own.
    rateLimits: {
      sessionsPerAddress: 100_000,
      messagesPerVisitor: 10_000,
      messagesPerAddress: 100_000,
      requestsPerApiKey: options.apiKeyRateLimit ?? 100_000,
    },
    distDir: distDir(),
    ...(options.visitorAuthTimeoutMs !== undefined
      ? { visitorAuthTimeoutMs: options.visitorAuthTimeoutMs }
      : {}),
  });
  await new Promise<void>((resolve) => palaver.server.listen(0, '127.0.0.1', resolve));
  const { port } = palaver.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    dbFile,
    services,
    palaver,
    async close() {
      await palaver.close();
      if (pgUrl) await runSql(pgUrl, `DROP SCHEMA ${schema} CASCADE`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
