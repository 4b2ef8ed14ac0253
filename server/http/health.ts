import { Router } from 'express';
import { serviceRoutes } from '../../protocol/routes/index.js';
import type { Logger } from '../logger.js';
import type { Bus } from '../realtime/index.js';
import type { Store } from '../store/index.js';
import { routesOn } from './routing.js';

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
  const route = routesOn(router, { prefix: '' });
  route(serviceRoutes.liveness, (_input, _req, res) => {
    res.json({ status: 'ok' });
  });
  route(serviceRoutes.readiness, async (_input, _req, res) => {
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
