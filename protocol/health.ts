import * as z from 'zod/mini';

/** `GET /healthz`: the process answers. */
export const Liveness = z.object({ status: z.literal('ok') });
export type Liveness = z.infer<typeof Liveness>;

/**
 * `GET /readyz`: whether this instance can serve (its database answers). The same shape comes with
 * a 503 when it cannot; a bus that cannot reach the other instances is reported, not fatal.
 */
export const Readiness = z.object({
  status: z.enum(['ready', 'unavailable', 'shutting_down']),
  checks: z.object({
    database: z.enum(['ok', 'failing', 'skipped']),
    bus: z.enum(['ok', 'degraded', 'local']),
  }),
});
export type Readiness = z.infer<typeof Readiness>;
