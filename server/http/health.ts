import { Router } from 'express';
import type { Store } from '../store/index.js';
import type { Logger } from '../logger.js';

/** Liveness (the process answers) and readiness (it can serve: the database answers). */
export function healthRouter(store: Store, logger: Logger, isShuttingDown: () => boolean): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (isShuttingDown()) {
      res.status(503).json({ status: 'shutting_down', checks: { database: 'skipped' } });
      return;
    }
    try {
      await store.ping();
      res.json({ status: 'ready', checks: { database: 'ok' } });
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed: database');
      res.status(503).json({ status: 'unavailable', checks: { database: 'failing' } });
    }
  });
  return router;
}
