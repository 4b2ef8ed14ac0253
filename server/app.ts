import { createServer, type IncomingMessage, type Server } from 'node:http';
import express, { type Router } from 'express';
import { adminRouter } from './http/admin.js';
import { agentRouter } from './http/agent.js';
import { assetsRouter } from './http/assets.js';
import { authRouter } from './http/auth.js';
import { healthRouter } from './http/health.js';
import { openApiRouter } from './http/openapi.js';
import { apiNotFound, errorHandler } from './http/middleware/errors.js';
import { apiHeaders } from './http/middleware/response-headers.js';
import { v1Router } from './http/v1.js';
import { widgetRouter } from './http/widget.js';
import {
  clientAddress,
  compileTrust,
  createLimits,
  DEFAULT_RATE_LIMITS,
  type RateLimits,
  type TrustProxy,
} from './limits/index.js';
import { RealtimeGateway } from './realtime/index.js';
import type { Services } from './services.js';

export interface AppOptions {
  publicUrl: string;
  trustProxy: TrustProxy;
  /** Failed sign-ins per client address per 15 minutes. */
  loginRateLimit: number;
  /** Session and message limits; production defaults when left out. */
  rateLimits?: RateLimits;
  /** Folder with the built front-ends (`widget/`, `agent/`). */
  distDir: string;
  /** Extra routers mounted before the fallbacks (the demo site uses this). */
  mounts?: Array<{ path: string; router: Router }>;
  /** How long a visitor socket may stay silent before its auth frame (tests shorten it). */
  visitorAuthTimeoutMs?: number;
  /** Deadlines for slow and idle HTTP clients (tests shorten them). */
  httpTimeouts?: HttpTimeouts;
}

export interface HttpTimeouts {
  /** From a request's first byte to the end of its headers. */
  headersMs: number;
  /** From a request's first byte to the end of its body. */
  requestMs: number;
  /** How long an idle keep-alive connection stays open after its last response. */
  keepAliveMs: number;
}

/**
 * Node's defaults hold a client that trickles its headers for 60 s (checked every 30 s, so up to
 * ~90 s) and a request body for 5 minutes: a few hundred slow clients tie up the server. Ours:
 * - headers within 10 s: browsers and proxies send them at once; 10 s still allows a poor link;
 * - the whole request within 30 s: our bodies are small JSON (64 KB at most);
 * - idle keep-alive connections closed after 65 s, later than the proxies and load balancers in
 *   front (nginx's upstream keepalive and AWS ALB idle out at 60 s): a server that closes first
 *   races the proxy's next request on that connection, which then fails with a 502.
 * A WebSocket leaves the HTTP server's deadlines behind once upgraded.
 */
const HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 65_000 };

export interface PalaverApp {
  app: express.Express;
  server: Server;
  gateway: RealtimeGateway;
  /** Graceful stop: refuse new work, finish in-flight writes, close sockets with 1012. */
  close(): Promise<void>;
}

/** Builds the HTTP + WebSocket server from injected services. Does not listen. */
export function createApp(services: Services, options: AppOptions): PalaverApp {
  const { logger } = services;
  const app = express();
  app.disable('x-powered-by');
  // One trust test for Express (req.ip, req.secure) and for the WebSocket upgrade.
  const trust = compileTrust(options.trustProxy);
  app.set('trust proxy', trust);
  const addressOf = (req: IncomingMessage) => clientAddress(req, trust);
  const limits = createLimits(services.limitStore, {
    loginRateLimit: options.loginRateLimit,
    rateLimits: options.rateLimits ?? DEFAULT_RATE_LIMITS,
  });
  let shuttingDown = false;

  const http = { ...services, publicUrl: options.publicUrl };
  app.use(apiHeaders);
  app.use(healthRouter(services.store, services.bus, logger, () => shuttingDown));
  app.use('/api/widget', widgetRouter(http, { sessionLimit: limits.sessions, addressOf }));
  app.use('/api/auth', authRouter(http, { signInLimit: limits.signIn, addressOf }));
  app.use('/api/agent', agentRouter(http));
  app.use('/api/admin', adminRouter(http));
  app.use('/api/v1', v1Router(http, { keyLimit: limits.apiKeys }));
  app.use('/api', openApiRouter(options.publicUrl));
  app.use('/api', apiNotFound);
  for (const mount of options.mounts ?? []) app.use(mount.path, mount.router);
  app.use(assetsRouter(options.distDir));
  app.use(errorHandler(logger));

  const timeouts = options.httpTimeouts ?? HTTP_TIMEOUTS;
  const server = createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      // Node enforces the two deadlines above on this tick: at most a quarter late, 1 s at most.
      connectionsCheckingInterval: Math.min(1000, Math.ceil(timeouts.headersMs / 4)),
    },
    app,
  );
  server.keepAliveTimeout = timeouts.keepAliveMs;
  const publicOrigin = new URL(options.publicUrl).origin;
  const gateway = new RealtimeGateway({
    ...services,
    messageLimit: limits.visitorMessages,
    clientAddress: addressOf,
    ...(options.visitorAuthTimeoutMs !== undefined
      ? { authTimeoutMs: options.visitorAuthTimeoutMs }
      : {}),
    isConsoleOrigin: (origin: string | undefined, req: IncomingMessage) => {
      if (!origin) return false;
      if (origin === publicOrigin) return true;
      // Same-origin as the request itself (e.g. http://localhost:8787 when PUBLIC_URL differs).
      const host = req.headers.host;
      return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
    },
  });
  services.bus.onRecovered?.(() => gateway.resync());
  services.webhookDispatcher.start();
  server.on('upgrade', (req, socket, head) => gateway.handleUpgrade(req, socket, head));

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      shuttingDown = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.shutdown();
      server.closeIdleConnections();
      await stopped;
      services.presenceSync.close();
      await services.bus.close();
      // In-flight attempts end when the client closes (aborted); their leases are given back.
      const dispatched = services.webhookDispatcher.stop();
      await services.outbound.close();
      await dispatched;
      await services.coordination.close();
      await services.limitStore.close();
      await services.store.close();
    })();
    return closing;
  };

  return { app, server, gateway, close };
}
