import * as z from 'zod/mini';
import type { ErrorCode } from './common.js';

/**
 * An error of the public API (/api/v1), as `application/problem+json` (RFC 9457). `type` is
 * stable per kind of error (`urn:palaver:problem:<code>`, see `problemType`); `detail` says
 * what went wrong this time, in a sentence a person can act on; `errors` lists every failing
 * field of a request that did not validate.
 */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  /** The request path the problem occurred at. */
  instance: z.optional(z.string()),
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});
export type Problem = z.infer<typeof Problem>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** `validation_failed` → `urn:palaver:problem:validation-failed`. */
export function problemType(code: ErrorCode): string {
  return `urn:palaver:problem:${code.replaceAll('_', '-')}`;
}

/** The title of each problem type: the same for every occurrence (RFC 9457 §3.1.3). */
export const PROBLEM_TITLES: Record<ErrorCode, string> = {
  bad_request: 'Bad request',
  validation_failed: 'Validation failed',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  origin_not_allowed: 'Origin not allowed',
  csrf_failed: 'CSRF check failed',
  not_found: 'Not found',
  conflict: 'Conflict',
  rate_limited: 'Too many requests',
  payload_too_large: 'Request body too large',
  conversation_closed: 'Conversation closed',
  bad_frame: 'Bad frame',
  frame_too_large: 'Frame too large',
  unavailable: 'Service unavailable',
  internal: 'Internal error',
  api_key_missing: 'API key missing',
  api_key_malformed: 'API key malformed',
  api_key_unknown: 'API key unknown',
  api_key_revoked: 'API key revoked',
  api_key_expired: 'API key expired',
  insufficient_role: 'Insufficient role',
};
