import { Router } from 'express';
import type { Logger } from '../logger.js';
import type { Bus } from '../realtime/index.js';
import type { Store } from '../store/index.js';

/**
 * Liveness (the process answers) and readiness (it can serve: the database answers). A bus that
 * cannot reach the other instances is reported but does not fail readiness: messages are still
 * stored and acknowledged, and clients catch up on resume.
 */
export function healthRouter(
  store: Store,
  bus: Bus,
  logger: Logger,
  isShuttingDown: () => boolean,
): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const busCheck = bus.healthy ? (bus.healthy() ? 'ok' : 'degraded') : 'local';
    if (isShuttingDown()) {
      res
        .status(503)
        .json({ status: 'shutting_down', checks: { database: 'skipped', bus: busCheck } });
      return;
    }
    try {
      await store.ping();
      res.json({ status: 'ready', checks: { database: 'ok', bus: busCheck } });
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed: database');
      res
        .status(503)
        .json({ status: 'unavailable', checks: { database: 'failing', bus: busCheck } });
    }
  });
  return router;
}
