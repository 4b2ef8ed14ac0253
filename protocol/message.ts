import * as z from 'zod/mini';
import { Id, IsoDate, MESSAGE_MAX_LENGTH, Seq, visibleText, wellFormedText } from './common.js';

export const AuthorKind = z.enum(['visitor', 'agent', 'system']);
export type AuthorKind = z.infer<typeof AuthorKind>;

export const Author = z.object({
  kind: AuthorKind,
  /** Agent id for agents, visitor id for visitors, null for system messages. */
  id: z.nullable(z.string()),
  name: z.nullable(z.string()),
  avatarUrl: z.nullable(z.string()),
});
export type Author = z.infer<typeof Author>;

/** Idempotency key chosen by the sender; the same key always yields the same stored message. */
export const ClientMessageId = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, _ or -'),
  );

export const MessageBody = z
  .string()
  .check(
    wellFormedText,
    z.trim(),
    z.minLength(1, 'A message cannot be empty'),
    visibleText('A message cannot be empty: it has only invisible characters'),
    z.maxLength(MESSAGE_MAX_LENGTH, `A message can have at most ${MESSAGE_MAX_LENGTH} characters`),
  );

export const Message = z.object({
  id: Id,
  conversationId: Id,
  seq: Seq,
  clientMessageId: z.nullable(z.string()),
  author: Author,
  body: z.string(),
  createdAt: IsoDate,
  /**
   * `agents`: a note in the timeline that the visitor never gets (what a card action recorded,
   * written by the agent who used it). Absent on every message the visitor sees.
   */
  visibility: z.optional(z.literal('agents')),
});
export type Message = z.infer<typeof Message>;

/** A page of messages in ascending `seq` order. */
export const MessagePage = z.object({ items: z.array(Message), hasMore: z.boolean() });
export type MessagePage = z.infer<typeof MessagePage>;

export const HISTORY_PAGE_MAX = 100;

export const MessagePageQuery = z.object({
  beforeSeq: z.optional(z.pipe(z.coerce.number(), z.int().check(z.gte(1)))),
  limit: z.optional(z.pipe(z.coerce.number(), z.int().check(z.gte(1), z.lte(HISTORY_PAGE_MAX)))),
});
export type MessagePageQuery = z.infer<typeof MessagePageQuery>;
