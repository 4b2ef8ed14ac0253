import * as z from 'zod/mini';

export { FRAME_MAX_BYTES, MESSAGE_MAX_LENGTH } from './constants.js';

/** Opaque identifier: compared as a string, never coerced. */
export const Id = z.string().check(z.minLength(1), z.maxLength(64));

/** ISO-8601 UTC timestamp as produced by `Date.prototype.toISOString`. */
export const IsoDate = z.iso.datetime();

/** Conversation-scoped message order. */
export const Seq = z.int().check(z.gte(0));

export const IdentityStatus = z.enum(['verified', 'claimed', 'anonymous']);
export type IdentityStatus = z.infer<typeof IdentityStatus>;

/** The one error shape every HTTP API answers with. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** Field paths that failed validation, when the error is about input. */
    fields: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Stable error codes; clients branch on these, never on message text. */
export const ErrorCode = z.enum([
  'bad_request',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'origin_not_allowed',
  'csrf_failed',
  'not_found',
  'conflict',
  'rate_limited',
  'payload_too_large',
  'conversation_closed',
  'bad_frame',
  'frame_too_large',
  'unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;
