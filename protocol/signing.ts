import * as z from 'zod/mini';
import { IsoDate } from './common.js';

/** How long, at most, a replaced signing secret keeps signing: a week to deploy the new one. */
export const SIGNING_GRACE_HOURS_MAX = 168;
/** What a rotation keeps the previous secret for when the request does not say. */
export const SIGNING_GRACE_HOURS_DEFAULT = 24;

/**
 * One of the secrets Palaver signs its requests to the site with (cards, actions, webhooks), as
 * the console lists it: never the value, only its first characters to tell secrets apart.
 */
export const SigningSecret = z.object({
  id: z.string(),
  /** The secret's visible start, e.g. `palsig_3fA9`. */
  prefix: z.string(),
  /**
   * Whether an admin was ever shown its value. Palaver makes a project's first secret by itself
   * when it first signs a request; nobody has that one until a rotation replaces it.
   */
  shown: z.boolean(),
  createdAt: IsoDate,
  /** Null for the current secret; for a previous one, when it stops signing. */
  expiresAt: z.nullable(IsoDate),
});
export type SigningSecret = z.infer<typeof SigningSecret>;

/** The project's secrets that sign requests now, newest (the current one) first. */
export const SigningSecrets = z.object({ secrets: z.array(SigningSecret) });
export type SigningSecrets = z.infer<typeof SigningSecrets>;

export const RotateSigningSecretRequest = z.strictObject({
  /** How long the previous secret keeps signing next to the new one (0: it stops at once); 24 by default. */
  graceHours: z.optional(
    z
      .int('Give the grace period in whole hours')
      .check(
        z.gte(0, 'The grace period cannot be negative'),
        z.lte(
          SIGNING_GRACE_HOURS_MAX,
          `The grace period is at most ${SIGNING_GRACE_HOURS_MAX} hours (7 days)`,
        ),
      ),
  ),
});
export type RotateSigningSecretRequest = z.infer<typeof RotateSigningSecretRequest>;

/** The answer to a rotation: the only time the new secret's value is shown. */
export const RotatedSigningSecret = z.object({ secret: z.string(), signing: SigningSecrets });
export type RotatedSigningSecret = z.infer<typeof RotatedSigningSecret>;
