/**
 * Cards at work in the console: the cards of a conversation, one card's answer (or why there is
 * none), an agent's use of a button, and the card call log admins read.
 */
import * as z from 'zod/mini';
import { Card, ActionInputs } from './card.js';
import { Id, IsoDate } from './common.js';
import { Message } from './message.js';

/** The enabled cards of a conversation's project, drawn as frames before any card loads. */
export const ConversationCards = z.object({
  items: z.array(z.object({ id: Id, name: z.string() })),
});
export type ConversationCards = z.infer<typeof ConversationCards>;

export const ConversationCardParams = z.object({ id: z.string(), cardId: z.string() });

export const CardLoadQuery = z.object({
  /** `true`: ask the site again, whatever the cache holds. */
  refresh: z.optional(z.enum(['true', 'false'])),
});

/**
 * Why a card or action call gave nothing usable: a stable class (the outbound error classes, plus
 * `invalid_card` and `invalid_answer` for answers the card format refuses), a message naming
 * what to fix, and the card log entry that has the details.
 */
export const CardCallError = z.object({
  status: z.literal('error'),
  errorClass: z.string(),
  message: z.string(),
  logId: z.string(),
});
export type CardCallError = z.infer<typeof CardCallError>;

/**
 * One card for one conversation: a site that fails is an answer too (200 with `status: error`),
 * so that the console shows the reason in that card's frame and nothing else is affected.
 */
export const CardLoad = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    card: Card,
    fetchedAt: IsoDate,
    /** Answered from the cache (the card's cache time), without asking the site. */
    cached: z.boolean(),
  }),
  CardCallError,
]);
export type CardLoad = z.infer<typeof CardLoad>;

export const CardActionBody = z.strictObject({
  action: z.string().check(z.minLength(1), z.maxLength(64)),
  inputs: z.optional(ActionInputs),
  /** Made once per click by the console and sent again on every retry of that click. */
  idempotencyKey: z
    .string()
    .check(
      z.minLength(8),
      z.maxLength(128),
      z.regex(/^[A-Za-z0-9_.:-]+$/, 'Use letters, digits or _ . : -'),
    ),
});
export type CardActionBody = z.infer<typeof CardActionBody>;

/** What came of an action: the site's answer (its note as stored in the timeline), or why not. */
export const CardActionOutcome = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    /** Replaces the card the button was on. */
    card: z.optional(Card),
    result: z.optional(z.object({ status: z.enum(['success', 'error']), message: z.string() })),
    /** The note the site recorded, as it now stands in the conversation for agents only. */
    note: z.optional(Message),
  }),
  CardCallError,
]);
export type CardActionOutcome = z.infer<typeof CardActionOutcome>;
