import * as z from 'zod/mini';
import { Id, IdentityStatus, Seq, IsoDate } from './common.js';
import { PublicProject } from './project.js';

export const ExternalUserId = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(256),
    z.regex(/^[^\p{Cc}]+$/u, 'An external user id cannot contain control characters'),
  );

/** Visitor tokens are opaque; the server stores only their hash. */
export const VisitorToken = z.string().check(z.minLength(20), z.maxLength(128));

/**
 * Body of `POST /api/widget/sessions`. Sent as `text/plain` JSON so that the browser makes a
 * CORS "simple request" (no preflight: one request, not two).
 */
export const StartSessionRequest = z.object({
  projectId: Id,
  visitorToken: z.optional(VisitorToken),
  externalUserId: z.optional(ExternalUserId),
  userToken: z.optional(z.string().check(z.maxLength(4096))),
  userHash: z.optional(z.string().check(z.maxLength(256))),
  pageUrl: z.optional(z.string().check(z.maxLength(2048))),
  referrer: z.optional(z.string().check(z.maxLength(2048))),
  locale: z.optional(z.string().check(z.maxLength(35))),
});
export type StartSessionRequest = z.infer<typeof StartSessionRequest>;

/** A conversation as its visitor sees it. */
export const VisitorConversation = z.object({
  id: Id,
  status: z.enum(['open', 'closed']),
  lastSeq: Seq,
  /** Agent and system messages the visitor has not read yet. */
  unread: z.int().check(z.gte(0)),
  createdAt: IsoDate,
});
export type VisitorConversation = z.infer<typeof VisitorConversation>;

export const StartSessionResponse = z.object({
  visitorToken: VisitorToken,
  visitorId: Id,
  identity: IdentityStatus,
  project: PublicProject,
  conversation: z.nullable(VisitorConversation),
  agentsOnline: z.int().check(z.gte(0)),
  /** Why a passed identity was not accepted as given; the widget prints it in the console. */
  notice: z.nullable(z.string()),
});
export type StartSessionResponse = z.infer<typeof StartSessionResponse>;
