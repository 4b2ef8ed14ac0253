import * as z from 'zod/mini';
import { ContactProfile } from './profile.js';
import { Id, IdentityStatus, IsoDate, Seq } from './common.js';
import { AuthorKind } from './message.js';

export const ConversationStatus = z.enum(['open', 'closed']);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

/** A conversation as agents see it in the inbox. */
export const Conversation = z.object({
  id: Id,
  projectId: Id,
  visitorId: Id,
  status: ConversationStatus,
  createdAt: IsoDate,
  /** Time of the last message, or of creation when there is none; the inbox sorts by it. */
  lastActivityAt: IsoDate,
  lastSeq: Seq,
  lastMessage: z.nullable(
    z.object({ seq: Seq, authorKind: AuthorKind, body: z.string(), createdAt: IsoDate }),
  ),
  /** Visitor messages no agent has read yet. */
  unreadForAgents: z.int().check(z.gte(0)),
  /** Best human label for the visitor (profile name, claimed id, or "Visitor 1a2b"). */
  visitorLabel: z.string(),
  identity: IdentityStatus,
  externalUserId: z.nullable(z.string()),
});
export type Conversation = z.infer<typeof Conversation>;

export const ConversationListQuery = z.object({
  status: z.optional(ConversationStatus),
  projectId: z.optional(Id),
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor: z.optional(z.string().check(z.maxLength(200))),
  limit: z.optional(z.pipe(z.coerce.number(), z.int().check(z.gte(1), z.lte(100)))),
});
export type ConversationListQuery = z.infer<typeof ConversationListQuery>;

export const ConversationList = z.object({
  items: z.array(Conversation),
  nextCursor: z.nullable(z.string()),
});
export type ConversationList = z.infer<typeof ConversationList>;

/** What the agent's side panel shows about the browser behind a conversation. */
export const VisitorDetails = z.object({
  id: Id,
  firstSeenAt: IsoDate,
  lastSeenAt: IsoDate,
  pageUrl: z.nullable(z.string()),
  referrer: z.nullable(z.string()),
  userAgent: z.nullable(z.string()),
  /** Human summary of the user agent, e.g. "Chrome 131 on macOS". */
  browser: z.nullable(z.string()),
  locale: z.nullable(z.string()),
  externalUserId: z.nullable(z.string()),
  identity: IdentityStatus,
  /** The site erased this person: the conversation stays, with no personal data from them. */
  erasedAt: z.nullable(IsoDate),
});
export type VisitorDetails = z.infer<typeof VisitorDetails>;

export const ConversationDetail = z.object({
  conversation: Conversation,
  visitor: VisitorDetails,
  /** The person behind the visitor, when the site passed an id that was accepted. */
  contact: z.nullable(ContactProfile),
});
export type ConversationDetail = z.infer<typeof ConversationDetail>;
