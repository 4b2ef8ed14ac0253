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
