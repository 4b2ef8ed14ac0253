import { ErrorBody } from '../../protocol/index.js';

export interface FieldProblem {
  path: string;
  message: string;
}

/** Any failed API call: the server's stable `code`, its message, and per-field problems. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }
}

/** What to say when `what` failed: the server's message, or a suggestion to try again. */
export const failed = (error: unknown, what: string): string =>
  error instanceof ApiError ? error.message : `Could not ${what}; try again`;

export interface Parser<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false };
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** Set from the AuthSession; sent back on every state-changing request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when an authenticated call answers 401: the session ended elsewhere. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

export interface RequestOptions<T> {
  body?: unknown;
  /** Answer schema; omit for 204 answers. */
  schema?: Parser<T>;
  /** Login and the session probe answer 401 as a normal outcome, not as "session ended". */
  anonymous?: boolean;
}

export async function request<T>(
  method: Method,
  path: string,
  options: RequestOptions<T> = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch {
    throw new ApiError('network', 'Cannot reach the server; check your connection', 0);
  }

  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401 && !options.anonymous) onUnauthorized?.();
    throw error;
  }
  if (!options.schema || response.status === 204) return undefined as T;
  const parsed = options.schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) {
    throw new ApiError(
      'bad_response',
      'The server sent an answer this console does not understand',
      response.status,
    );
  }
  return parsed.data;
}

async function errorOf(response: Response): Promise<ApiError> {
  const parsed = ErrorBody.safeParse(await response.json().catch(() => undefined));
  if (parsed.success) {
    const { code, message, fields } = parsed.data.error;
    return new ApiError(code, message, response.status, fields ?? []);
  }
  return new ApiError(
    'http_' + response.status,
    `The server answered ${response.status}`,
    response.status,
  );
}
