import { vi } from 'vitest';

export interface Call {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

export interface Reply {
  status?: number;
  body?: unknown;
}

type Handler = (call: Call) => Reply | undefined;

/** Replaces fetch with a router over `METHOD /path?query` keys; records every call. */
export function mockApi(routes: Record<string, Reply | Handler>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((input: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      const call: Call = {
        method,
        path: input,
        headers: { ...(init.headers as Record<string, string>) },
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
        credentials: init.credentials,
      };
      calls.push(call);
      const route = routes[`${method} ${input}`] ?? routes[`${method} ${input.split('?')[0]}`];
      const reply = typeof route === 'function' ? route(call) : route;
      const status = reply?.status ?? (reply ? 200 : 404);
      const body =
        reply?.body ??
        (reply ? null : { error: { code: 'not_found', message: `No mock: ${input}` } });
      return Promise.resolve(
        new Response(status === 204 || body === null ? null : JSON.stringify(body), {
          status,
          headers: { 'content-type': 'application/json' },
        }),
      );
    }),
  );
  return calls;
}
