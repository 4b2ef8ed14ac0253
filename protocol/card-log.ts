/** The card log admins read: every card and action call, as Palaver made it. */
import * as z from 'zod/mini';
import { Id, IsoDate } from './common.js';
import { DroppedPii } from './integration.js';

export const CardCallKind = z.enum(['card', 'action']);

/** One call to a card's endpoint, as the card log shows it: never a header value or secret. */
export const CardCallEntry = z.object({
  id: Id,
  at: IsoDate,
  cardId: Id,
  cardName: z.string(),
  agent: z.nullable(z.object({ id: Id, name: z.string() })),
  kind: CardCallKind,
  action: z.nullable(z.string()),
  outcome: z.enum(['ok', 'error']),
  httpStatus: z.nullable(z.int()),
  latencyMs: z.nullable(z.number()),
  errorClass: z.nullable(z.string()),
  message: z.string(),
  /** What the agent submitted, after the PII guard (card numbers, IBANs… dropped). */
  inputs: z.nullable(z.record(z.string(), z.union([z.string(), z.boolean()]))),
  droppedPii: z.array(DroppedPii),
});
export type CardCallEntry = z.infer<typeof CardCallEntry>;

export const CardCallLogQuery = z.object({
  cardId: z.optional(z.string()),
  limit: z.optional(z.pipe(z.coerce.number(), z.int().check(z.gte(1), z.lte(200)))),
  cursor: z.optional(z.string().check(z.maxLength(500))),
});
export type CardCallLogQuery = z.infer<typeof CardCallLogQuery>;

export const CardCallLog = z.object({
  items: z.array(CardCallEntry),
  nextCursor: z.nullable(z.string()),
});
export type CardCallLog = z.infer<typeof CardCallLog>;
