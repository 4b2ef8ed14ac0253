import express, { Router } from 'express';
import type { ApiProject } from '../../protocol/index.js';
import { apiProjectRoutes, type Route } from '../../protocol/routes/index.js';
import { notFound } from '../errors.js';
import { limitRequests, waitText, type Limiter } from '../limits/index.js';
import { contactHandlers } from './contacts.js';
import { apiKeyOf } from './middleware/api-key.js';
import { problemHandler, problemNotFound } from './middleware/problem.js';
import { routesOn, type RouteHandler, type RouteOptions } from './routing.js';
import type { HttpServices } from './services.js';

/** Bodies of the public API: a bulk request of 100 contacts with their properties fits. */
const MAX_BODY = '1mb';

/**
 * Registers an API-key route of the table on the public API's router. The per-key limit (for the
 * table's `rateLimited` routes) and the JSON body parser (for routes with a body; after the key
 * check, so that nobody without a key makes us read a body) are added here.
 */
export type KeyRouteBinder = <R extends Route>(
  spec: R,
  handler: RouteHandler<R>,
  options?: Pick<RouteOptions, 'parser' | 'body'>,
) => void;

/** One group of the public API's handlers, e.g. the contacts. */
export type V1Handlers = (route: KeyRouteBinder, s: HttpServices) => void;

/** `GET /api/v1/project`: a site checks its key and sees which project it belongs to. */
const projectHandlers: V1Handlers = (route, s) => {
  route(apiProjectRoutes.getApiProject, async (_input, req, res) => {
    const project = await s.store.projects.get(apiKeyOf(req).projectId);
    if (!project) throw notFound('The project of this API key');
    const body: ApiProject = { id: project.id, name: project.name };
    res.json(body);
  });
};

/** The handler groups of the public API. */
export const V1_HANDLERS: readonly V1Handlers[] = [projectHandlers, contactHandlers];

/**
 * The public API for sites' servers, under `/api/v1`: every route needs an API key (its project
 * scopes everything, so paths carry no project id), requests count per key, and every error —
 * unknown paths and unreadable bodies included — answers `application/problem+json`. No CORS:
 * it is called server to server, and a key must never sit in a browser.
 */
export function v1Router(
  s: HttpServices,
  options: { keyLimit: Limiter },
  handlers: readonly V1Handlers[] = V1_HANDLERS,
): Router {
  const router = Router();
  const bind = routesOn(router, { prefix: '/api/v1', apiKeys: s.apiKeys });
  const { points } = options.keyLimit.policy;
  const perKey = limitRequests({
    limiter: options.keyLimit,
    keyOf: (req) => apiKeyOf(req).id,
    counts: () => true,
    refusal: (ms) =>
      `This API key made its ${points} requests of the minute; ${waitText(ms)} and retry`,
  });
  const json = express.json({ limit: MAX_BODY });
  const route: KeyRouteBinder = (spec, handler, extra = {}) =>
    bind(spec, handler, {
      ...(spec.rateLimited ? { limit: perKey } : {}),
      ...(spec.body ? { parser: json } : {}),
      ...extra,
    });
  for (const group of handlers) group(route, s);
  router.use(problemNotFound);
  router.use(problemHandler(s.logger));
  return router;
}
