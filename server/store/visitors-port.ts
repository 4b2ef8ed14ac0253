import type { IdentityStatus } from '../../protocol/index.js';

export interface VisitorRecord {
  id: string;
  projectId: string;
  externalUserId: string | null;
  identity: IdentityStatus;
  firstSeenAt: string;
  lastSeenAt: string;
  pageUrl: string | null;
  referrer: string | null;
  userAgent: string | null;
  locale: string | null;
  /** When the person was erased: the visitor lost its id, identity and page data then. */
  erasedAt: string | null;
}

export interface VisitorSeen {
  lastSeenAt: string;
  pageUrl: string | null;
  referrer: string | null;
  userAgent: string | null;
  locale: string | null;
}

export type VisitorPatch = Partial<
  VisitorSeen & Pick<VisitorRecord, 'externalUserId' | 'identity'>
>;

/** The people chatting from a site, and the session tokens that resume them. */
export interface VisitorStore {
  create(visitor: VisitorRecord & { tokenHash: string }): Promise<void>;
  get(id: string): Promise<VisitorRecord | null>;
  /** The visitor this session token (its first one, or one added later) belongs to. */
  byTokenHash(tokenHash: string): Promise<VisitorRecord | null>;
  update(id: string, patch: VisitorPatch): Promise<void>;
  /** One more token that resumes the visitor (another verified device of the same user). */
  addToken(visitorId: string, tokenHash: string, createdAt: string): Promise<void>;
  /** The first visitor who proved this id: every verified device joins it. */
  firstVerified(projectId: string, externalUserId: string): Promise<string | null>;
  /** Visitors carrying this external id, each with its conversation ids. */
  ofContact(
    projectId: string,
    externalUserId: string,
  ): Promise<{ visitorId: string; conversationIds: string[] }[]>;
}
