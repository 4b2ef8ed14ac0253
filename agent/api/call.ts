import type * as z from 'zod/mini';
import type { Route, RouteAnswer, Schema } from '../../protocol/routes/index.js';
import { request, type RequestOptions } from './request.js';

type Params<R extends Route> = R['params'] extends Schema
  ? { params: z.output<R['params']> }
  : { params?: never };

/** Query values as the server reads them; null, undefined and '' leave the parameter out. */
type Query<R extends Route> = R['query'] extends Schema
  ? { query?: { [K in keyof z.output<R['query']>]?: z.output<R['query']>[K] | null } }
  : { query?: never };

type Body<R extends Route> = R['body'] extends Schema
  ? { body: z.input<R['body']> }
  : { body?: never };

export type CallInput<R extends Route> = Params<R> & Query<R> & Body<R>;

export interface CallOptions {
  /** Login, the session probe and sign-out answer 401 as an outcome, not as "session ended". */
  anonymous?: boolean;
}

function urlOf(route: Route, params: unknown, query: unknown): string {
  const values = (params ?? {}) as Record<string, unknown>;
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(String(values[name])),
  );
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(
    (query ?? {}) as Record<string, string | number | boolean | null | undefined>,
  )) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** Calls a route of the table; the answer is parsed with the route's response schema. */
export function call<R extends Route>(
  route: R,
  input: CallInput<R>,
  options: CallOptions = {},
): Promise<RouteAnswer<R>> {
  const schema = route.response as RequestOptions<RouteAnswer<R>>['schema'];
  return request<RouteAnswer<R>>(route.method, urlOf(route, input.params, input.query), {
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(schema ? { schema } : {}),
    ...(options.anonymous ? { anonymous: true } : {}),
  });
}
