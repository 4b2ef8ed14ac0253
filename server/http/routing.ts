import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { Access, Route, RouteInput, RouteParams } from '../../protocol/routes/index.js';
import type { AgentSessions } from '../auth/index.js';
import { requireApiKey, requireRoles, type KeyAuthenticator } from './middleware/api-key.js';
import { requireAdmin, requireAgent, requireCsrf } from './middleware/auth.js';
import { parseInput } from './middleware/validate.js';

export type RouteHandler<R extends Route> = (
  input: RouteInput<R>,
  req: Request<RouteParams<R>>,
  res: Response,
) => Promise<void> | void;

export interface RouteOptions {
  /** The limiter of a route the table marks `rateLimited` (and only of such a route). */
  limit?: RequestHandler;
  /** Reads the body, after the limit and before validation (e.g. `express.json`). */
  parser?: RequestHandler;
  /** Where the body to validate comes from, when it is not `req.body` as parsed. */
  body?: (req: Request) => unknown;
}

export type RouteBinder = <R extends Route>(
  spec: R,
  handler: RouteHandler<R>,
  options?: RouteOptions,
) => void;

export interface RouterScope {
  /** Where the router is mounted; every route registered on it has a path below it. */
  prefix: string;
  /** Needed when the router registers routes for signed-in agents without guarding them itself. */
  sessions?: AgentSessions;
  /**
   * Who the router's own middleware already admits on every path below `prefix` (with
   * `requireAgent`, `requireAdmin` and `requireCsrf`), so that unknown paths there answer 401 too.
   * Routes that the table guards more strictly get the missing checks added.
   */
  guarded?: Exclude<Access, 'key'>;
  /** Needed when the router registers routes for API keys (`access: 'key'`). */
  apiKeys?: KeyAuthenticator;
}

const RANK: Record<Exclude<Access, 'key'>, number> = { public: 0, agent: 1, admin: 2 };

/** The table entry a handler was registered for, so a test can tell table routes from others. */
const registered = new WeakMap<object, Route>();

export function routeOfHandler(handler: unknown): Route | undefined {
  return typeof handler === 'function' ? registered.get(handler) : undefined;
}

/** `/api/agent/conversations/{id}` under `/api/agent` → `/conversations/:id` (Express syntax). */
function expressPath(path: string, prefix: string): string {
  if (!path.startsWith(prefix)) {
    throw new Error(`Route ${path} does not belong to the router mounted at ${prefix}`);
  }
  const below = path.slice(prefix.length).replace(/\{(\w+)\}/g, ':$1');
  return below.startsWith('/') ? below : `/${below}`;
}

function sessionChecks(spec: Route, access: Exclude<Access, 'key'>, scope: RouterScope) {
  const guarded = scope.guarded ?? 'public';
  if (RANK[access] < RANK[guarded]) {
    throw new Error(
      `The table opens ${spec.method} ${spec.path} to ${access}, but its router admits only ${guarded}`,
    );
  }
  const added: RequestHandler[] = [];
  if (guarded === 'public' && access !== 'public') {
    if (!scope.sessions) throw new Error(`${spec.method} ${spec.path} needs the agent sessions`);
    added.push(requireAgent(scope.sessions));
  }
  if (access === 'admin' && guarded !== 'admin') added.push(requireAdmin);
  if (spec.csrf && guarded === 'public') added.push(requireCsrf);
  return added;
}

/**
 * What runs before the handler: access checks, the limit, the body parser. An API key is known
 * before it is counted (its limit is per key) and counted before its roles are checked (a
 * refused request is a request too).
 */
function chain(spec: Route, scope: RouterScope, options: RouteOptions): RequestHandler[] {
  const limit = options.limit ? [options.limit] : [];
  const parser = options.parser ? [options.parser] : [];
  if (spec.access !== 'key') {
    if (spec.roles) throw new Error(`${spec.method} ${spec.path}: roles are for API-key routes`);
    return [...limit, ...sessionChecks(spec, spec.access, scope), ...parser];
  }
  if (!spec.roles) throw new Error(`${spec.method} ${spec.path}: name the roles a key needs`);
  if (!scope.apiKeys) throw new Error(`${spec.method} ${spec.path} needs the API keys`);
  if (scope.guarded && scope.guarded !== 'public') {
    throw new Error(
      `${spec.method} ${spec.path}: API keys cannot pass a router guarded by sessions`,
    );
  }
  const roles = spec.roles.length > 0 ? [requireRoles(spec.roles)] : [];
  return [requireApiKey(scope.apiKeys), ...limit, ...roles, ...parser];
}

/**
 * Registers routes of the table on a router: method and path from the entry, the access checks
 * the router does not already make, and params, query and body parsed with the entry's schemas
 * before the handler runs (a 422 listing every bad field otherwise).
 */
export function routesOn(router: Router, scope: RouterScope): RouteBinder {
  return (spec, handler, options = {}) => {
    if (spec.rateLimited !== (options.limit !== undefined)) {
      throw new Error(
        `${spec.method} ${spec.path}: the table says rateLimited=${spec.rateLimited}; pass a limit exactly when it is`,
      );
    }
    const readBody = options.body ?? ((req: Request) => req.body as unknown);
    const run = async (req: Request, res: Response, next: NextFunction) => {
      try {
        const input = {
          params: spec.params ? parseInput(spec.params, req.params) : undefined,
          query: spec.query ? parseInput(spec.query, req.query) : undefined,
          body: spec.body ? parseInput(spec.body, readBody(req)) : undefined,
        } as RouteInput<typeof spec>;
        await handler(input, req as Request<RouteParams<typeof spec>>, res);
      } catch (error) {
        next(error);
      }
    };
    registered.set(run, spec);
    const method = spec.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    const before = chain(spec, scope, options);
    router[method](expressPath(spec.path, scope.prefix), ...before, run);
  };
}
