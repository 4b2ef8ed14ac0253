import * as z from 'zod/mini';
import { hasUnpairedSurrogate, isBlankText, UNPAIRED_SURROGATE_MESSAGE } from './text.js';

export { FRAME_MAX_BYTES, MESSAGE_MAX_LENGTH } from './constants.js';
export { hasUnpairedSurrogate, isBlankText, UNPAIRED_SURROGATE_MESSAGE } from './text.js';

/** Refuses text that cannot be stored unchanged (see `hasUnpairedSurrogate`). */
export const wellFormedText = z.refine<string>(
  (text) => !hasUnpairedSurrogate(text),
  UNPAIRED_SURROGATE_MESSAGE,
);

/**
 * Refuses text that would look empty to its reader (see `isBlankText`). The empty string is left
 * to a `minLength` check, or allowed where empty means "none".
 */
export const visibleText = (message: string) =>
  z.refine<string>((text) => text === '' || !isBlankText(text), message);

/** A name a person types (agent, project): trimmed, visible, at most `max` characters. */
export const PersonName = (max: number) =>
  z
    .string()
    .check(
      wellFormedText,
      z.trim(),
      z.minLength(1),
      visibleText('A name cannot be only invisible characters'),
      z.maxLength(max),
    );

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
  // The public API's key checks (/api/v1): which of them failed.
  'api_key_missing',
  'api_key_malformed',
  'api_key_unknown',
  'api_key_revoked',
  'api_key_expired',
  'insufficient_role',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;
