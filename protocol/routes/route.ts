import * as z from 'zod/mini';
import type { ApiKeyRole } from '../api-key.js';

/** What a schema of the table is: any zod (mini or classic) schema. */
export type Schema = z.ZodMiniType;

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call: anyone, a signed-in agent (session cookie), a signed-in admin, or a site's server
 * with an API key (`Authorization: Bearer`) that has the route's `roles`. State-changing calls of
 * a signed-in agent also echo the session's CSRF token (see `csrf`).
 */
export type Access = 'public' | 'agent' | 'admin' | 'key';

/** The error answers a route can give, each with the `ErrorBody` shape. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503;

export type SuccessStatus = 200 | 201 | 204;

/** An answer besides the usual one whose body is not an `ErrorBody` (e.g. readiness' 503). */
export interface OtherAnswer {
  status: number;
  description: string;
  response: Schema;
}

export interface RouteSpec {
  method: Method;
  /** Full path, parameters as `{name}` (OpenAPI style). */
  path: string;
  /** Stable name of the operation; client generators name their methods by it. */
  operationId: string;
  tag: 'Widget' | 'Auth' | 'Agent' | 'Admin' | 'Service' | 'Project' | 'Contacts';
  summary: string;
  access: Access;
  /** The roles an API key needs (none: any key of the project); only (and always) for `access: 'key'`. */
  roles?: readonly ApiKeyRole[];
  /**
   * Counted per client address (per API key for `access: 'key'`); answers 429 with Retry-After
   * past the limit.
   */
  rateLimited: boolean;
  params?: Schema;
  query?: Schema;
  body?: Schema;
  /** The answer's body; none for a 204. */
  response?: Schema;
  status: SuccessStatus;
  otherAnswers?: readonly OtherAnswer[];
  errors: readonly ErrorStatus[];
}

/** A table entry: its spec, plus whether it needs the CSRF header (worked out, never written). */
export type Route<S extends RouteSpec = RouteSpec> = S & { readonly csrf: boolean };

/**
 * Defines one route. CSRF protection applies to every state-changing call of a signed-in agent,
 * so it follows from the method and the access instead of being written per route. Marked free of
 * side effects so that bundlers drop the entries of groups a front-end does not call.
 */
/* @__NO_SIDE_EFFECTS__ */
export function route<const S extends RouteSpec>(spec: S): Route<S> {
  const session = spec.access === 'agent' || spec.access === 'admin';
  return { ...spec, csrf: session && spec.method !== 'GET' };
}

/**
 * Path parameters are any string: an id the server does not know answers 404 from the service
 * that looks it up, exactly as an unknown id of the right shape does.
 */
export const IdParams = z.object({ id: z.string() });

type Parsed<S> = S extends Schema ? z.output<S> : undefined;

/** The route's path parameters, as parsed. */
export type RouteParams<R extends RouteSpec> = R['params'] extends Schema
  ? z.output<R['params']>
  : Record<string, never>;

/** What a server handler receives, parsed by the route's schemas. */
export interface RouteInput<R extends RouteSpec> {
  params: Parsed<R['params']>;
  query: Parsed<R['query']>;
  body: Parsed<R['body']>;
}

/** What a route answers on success. */
export type RouteAnswer<R extends RouteSpec> = R['response'] extends Schema
  ? z.output<R['response']>
  : void;
