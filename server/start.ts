import type { Router } from 'express';
import { createApp, type PalaverApp } from './app.js';
import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { distDir } from './paths.js';
import { InProcessBus } from './realtime/index.js';
import { createServices, type Services } from './services.js';
import { openStore } from './store/index.js';

export interface Running {
  palaver: PalaverApp;
  services: Services;
  logger: Logger;
  url: string;
}

/** How long after listening the outbound client loads. */
const OUTBOUND_WARM_MS = 1_000;

/**
 * Opens storage, builds the app, listens, and stops gracefully on SIGTERM/SIGINT. Shared by the
 * production entry (main.ts) and the demo (demo/main.ts).
 */
export async function start(
  config: Config,
  extras: {
    mounts?: Array<{ path: string; router: Router }>;
    beforeListen?: (services: Services) => Promise<void>;
  } = {},
): Promise<Running> {
  const logger = createLogger(config.logLevel);
  if (config.secretKeyGenerated) {
    logger.warn(
      { file: `${config.dataDir}/secret.key` },
      'PALAVER_SECRET_KEY is not set: using a key generated into the data directory. Set it explicitly in production and back it up; secrets at rest cannot be read without it.',
    );
  }
  const store = await openStore(config.databaseUrl, { timeoutMs: config.databaseTimeoutMs });
  const services = createServices({
    store,
    logger,
    secretKey: config.secretKey,
    identity: config.identity,
    ...(await sharedState(config, logger)),
  });
  await extras.beforeListen?.(services);
  const palaver = createApp(services, {
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
    loginRateLimit: config.loginRateLimit,
    rateLimits: config.rateLimits,
    distDir: distDir(),
    ...(extras.mounts ? { mounts: extras.mounts } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    palaver.server.once('error', reject);
    palaver.server.listen(config.port, config.host, () => resolve());
  });
  // Ready first (cold start counts to /readyz), then the outbound client before a site is called.
  setTimeout(() => services.outbound.warm(), OUTBOUND_WARM_MS).unref();
  const address = palaver.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    { port, database: store.dialect, bus: config.redisUrl ? 'redis' : 'in-process' },
    'palaver listening',
  );

  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    palaver.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return { palaver, services, logger, url: `http://localhost:${port}` };
}

/**
 * Several instances share Redis; one alone keeps everything in memory. The Redis client is loaded
 * only when configured: a single instance starts faster without it.
 */
async function sharedState(config: Config, logger: Logger) {
  if (!config.redisUrl) return { bus: new InProcessBus() };
  const [{ RedisBus }, { RedisCoordination }, { RedisLimitStore }] = await Promise.all([
    import('./realtime/redis-bus.js'),
    import('./identity/redis-coordination.js'),
    import('./limits/redis-store.js'),
  ]);
  return {
    bus: new RedisBus(config.redisUrl, logger, config.redisPrefix),
    coordination: new RedisCoordination(config.redisUrl, config.redisPrefix),
    limitStore: new RedisLimitStore(config.redisUrl, config.redisPrefix, logger),
  };
}
