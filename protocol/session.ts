import * as z from 'zod/mini';
import { Id, IdentityStatus, Seq, IsoDate } from './common.js';
import { PublicProject } from './project.js';

/**
 * What an external id may never hold, whatever the endpoint style: control characters (Cc),
 * invisible format characters such as bidi overrides, zero-width characters and the BOM (Cf),
 * lone surrogates (Cs), private-use (Co) and unassigned (Cn) code points, and line and paragraph
 * separators (Zl, Zp). They make one id look like another, or reorder the text around it, in
 * every view and log that shows it.
 */
const INVISIBLE = String.raw`\p{C}\p{Zl}\p{Zp}`; // \p{C}: Cc, Cf, Cs, Co and Cn together
const INVISIBLE_CHARACTER = new RegExp(`[${INVISIBLE}]`, 'u');

/** `U+202E` for a one-character string (a code point, or a lone surrogate). */
export function codePointName(char: string): string {
  const hex = (char.codePointAt(0) ?? 0).toString(16).toUpperCase();
  return `U+${hex.padStart(4, '0')}`;
}

/** The first control, invisible or direction-changing character of an id, named, or null. */
export function invisibleCharacterIn(id: string): string | null {
  const found = INVISIBLE_CHARACTER.exec(id)?.[0];
  return found === undefined ? null : codePointName(found);
}

export const ExternalUserId = z.string().check(
  z.minLength(1),
  z.maxLength(256),
  z.regex(new RegExp(`^[^${INVISIBLE}]+$`, 'u'), {
    error: (issue) =>
      `An external user id cannot contain control, invisible or direction-changing characters (it holds ${invisibleCharacterIn(String(issue.input))})`,
  }),
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
