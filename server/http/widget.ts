import type { IncomingMessage } from 'node:http';
import express, { Router, type RequestHandler } from 'express';
import type { StartSessionResponse } from '../../protocol/index.js';
import { widgetRoutes } from '../../protocol/routes/index.js';
import { toVisitorConversation } from '../conversations/index.js';
import { AppError, badRequest, notFound } from '../errors.js';
import { byAddress, limitRequests, waitText, type Limiter } from '../limits/index.js';
import { isOriginAllowed } from '../projects/service.js';
import { routesOn } from './routing.js';
import type { HttpServices } from './services.js';

const MAX_BODY = '16kb';

/**
 * The widget calls from other sites' pages, so it needs CORS. The body is JSON sent as
 * text/plain: a "simple request" that costs no preflight; a preflight is still answered for
 * clients that send application/json.
 */
const widgetCors: RequestHandler = (req, res, next) => {
  const origin = req.get('origin');
  if (origin) {
    res.set('Access-Control-Allow-Origin', origin);
    // The widget reads when it may try again after a 429.
    res.set('Access-Control-Expose-Headers', 'Retry-After, RateLimit, RateLimit-Policy');
    res.vary('Origin');
  }
  if (req.method === 'OPTIONS') {
    res.set('Access-Control-Allow-Methods', 'POST');
    res.set('Access-Control-Allow-Headers', 'Content-Type');
    res.set('Access-Control-Max-Age', '86400');
    res.status(204).end();
    return;
  }
  next();
};

function parseJsonText(text: unknown): unknown {
  if (typeof text !== 'string' || text.length === 0) {
    throw badRequest('Send the session request as a JSON body');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON');
  }
}

export function widgetRouter(
  s: HttpServices,
  options: { sessionLimit: Limiter; addressOf: (req: IncomingMessage) => string },
): Router {
  const router = Router();
  router.use(widgetCors);
  const route = routesOn(router, { prefix: '/api/widget' });

  // New visitors count per client address; resuming one (every page view does) does not.
  const sessionLimit = limitRequests({
    limiter: options.sessionLimit,
    keyOf: byAddress(options.addressOf),
    counts: (res) => res.statusCode !== 200,
    refusal: (ms) => `Too many new chat sessions from this network; ${waitText(ms)} and retry`,
  });

  route(
    widgetRoutes.startSession,
    async ({ body: input }, req, res) => {
      const project = await s.store.projects.get(input.projectId);
      if (!project) throw notFound(`Project "${input.projectId}"`);
      const origin = req.get('origin');
      if (!isOriginAllowed(project, origin)) {
        throw new AppError(
          'origin_not_allowed',
          403,
          `The page origin ${origin ?? '(none)'} is not allowed for project "${project.id}"; add it under Settings → Projects → Allowed origins`,
        );
      }
      const started = await s.visitors.start(project, input, {
        userAgent: req.get('user-agent') ?? null,
        now: new Date(),
      });
      const body: StartSessionResponse = {
        visitorToken: started.token,
        visitorId: started.visitor.id,
        identity: started.visitor.identity,
        project: { id: project.id, name: project.name, widget: project.widget },
        conversation: started.conversation ? toVisitorConversation(started.conversation) : null,
        agentsOnline: s.presence.online(project.id).length,
        notice: started.notice,
      };
      res.status(started.created ? 201 : 200).json(body);
    },
    {
      limit: sessionLimit,
      parser: express.text({ type: () => true, limit: MAX_BODY }),
      body: (req) => parseJsonText(req.body),
    },
  );

  return router;
}
