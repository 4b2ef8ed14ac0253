import type { IdentityStatus, StartSessionRequest } from '../../protocol/index.js';
import { hashSecret, newId, newSecret } from '../ids.js';
import type { ConversationRecord, ProjectRecord, Store, VisitorRecord } from '../store/index.js';

export interface SessionContext {
  userAgent: string | null;
  now: Date;
}

export interface StartedSession {
  token: string;
  visitor: VisitorRecord;
  conversation: ConversationRecord | null;
  unread: number;
  /** True when this request created the visitor (first visit, identity switch, or lost token). */
  created: boolean;
}

/** Trims what a browser tells us about itself to what we store. */
function clip(value: string | undefined | null, max: number): string | null {
  if (!value) return null;
  return value.slice(0, max);
}

/**
 * Visitor sessions: a visitor is one browser's identity towards one project, carried by an
 * opaque token the database stores only hashed.
 */
export class VisitorService {
  constructor(private readonly store: Store) {}

  async start(
    project: ProjectRecord,
    input: StartSessionRequest,
    ctx: SessionContext,
  ): Promise<StartedSession> {
    const externalUserId = input.externalUserId ?? null;
    const identity: IdentityStatus = externalUserId ? 'claimed' : 'anonymous';
    const seen = {
      lastSeenAt: ctx.now.toISOString(),
      pageUrl: clip(input.pageUrl, 2048),
      referrer: clip(input.referrer, 2048),
      userAgent: clip(ctx.userAgent, 512),
      locale: clip(input.locale, 35),
    };

    const known = input.visitorToken
      ? await this.store.getVisitorByTokenHash(hashSecret(input.visitorToken))
      : null;
    if (
      input.visitorToken &&
      known &&
      known.projectId === project.id &&
      this.sameUser(known, externalUserId)
    ) {
      const patch: Parameters<Store['updateVisitor']>[1] = { ...seen };
      // An anonymous visitor who signs in keeps their conversation: it was theirs all along.
      if (!known.externalUserId && externalUserId) {
        patch.externalUserId = externalUserId;
        patch.identity = identity;
      }
      await this.store.updateVisitor(known.id, patch);
      const visitor: VisitorRecord = { ...known, ...patch } as VisitorRecord;
      const conversation = await this.store.getOpenConversation(visitor.id);
      const unread = conversation ? await this.store.unreadForVisitor(conversation) : 0;
      return { token: input.visitorToken, visitor, conversation, unread, created: false };
    }

    const token = newSecret();
    const visitor: VisitorRecord = {
      id: newId('vis'),
      projectId: project.id,
      externalUserId,
      identity,
      firstSeenAt: seen.lastSeenAt,
      ...seen,
    };
    await this.store.createVisitor({ ...visitor, tokenHash: hashSecret(token) });
    return { token, visitor, conversation: null, unread: 0, created: true };
  }

  /**
   * A token may be reused only by the user it was issued to: a different signed-in user, or a
   * signed-out page holding a signed-in user's token, gets a fresh visitor so that nobody sees
   * someone else's conversation on a shared browser.
   */
  private sameUser(visitor: VisitorRecord, externalUserId: string | null): boolean {
    if (!visitor.externalUserId) return true;
    return visitor.externalUserId === externalUserId;
  }

  /** The visitor behind a token, or null. */
  async authenticate(token: string): Promise<VisitorRecord | null> {
    return this.store.getVisitorByTokenHash(hashSecret(token));
  }
}
