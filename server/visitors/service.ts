import type { IdentityStatus, StartSessionRequest } from '../../protocol/index.js';
import type { Announcer } from '../announcer/index.js';
import type { ContactService } from '../contacts/index.js';
import {
  acceptIdentity,
  type IntegrationService,
  type ProfileFetcher,
  type ResolvedIntegration,
} from '../identity/index.js';
import { hashSecret, newId, newSecret } from '../ids.js';
import type { ConversationRecord, ProjectRecord, Store, VisitorRecord } from '../store/index.js';
import { pageAddress } from './page-address.js';

export interface SessionContext {
  userAgent: string | null;
  now: Date;
}

export interface StartedSession {
  token: string;
  visitor: VisitorRecord;
  conversation: ConversationRecord | null;
  /** True when this request created the visitor (first visit, identity switch, or lost token). */
  created: boolean;
  /** Why a passed identity was not accepted as given; shown in the site's console. */
  notice: string | null;
}

/** Trims what a browser tells us about itself to what we store. */
function clip(value: string | undefined | null, max: number): string | null {
  if (!value) return null;
  return value.slice(0, max);
}

/**
 * Visitor sessions: a visitor is one person's identity towards one project, carried by opaque
 * device tokens the database stores only hashed. Anonymous and claimed visitors are one browser
 * each; a verified user's devices share one visitor, so their history follows them.
 */
export class VisitorService {
  constructor(
    private readonly store: Store,
    private readonly integrations: IntegrationService,
    private readonly profiles: ProfileFetcher,
    private readonly contacts: ContactService,
    private readonly announcer: Announcer,
  ) {}

  async start(
    project: ProjectRecord,
    input: StartSessionRequest,
    ctx: SessionContext,
  ): Promise<StartedSession> {
    // Read and opened at most once per session start, and only when an identity is passed.
    let resolved: Promise<ResolvedIntegration> | undefined;
    const integration = () => (resolved ??= this.integrations.resolve(project.id));
    const { externalUserId, identity, notice, claims } = await acceptIdentity(input, integration);
    const seen = {
      lastSeenAt: ctx.now.toISOString(),
      pageUrl: pageAddress(input.pageUrl),
      referrer: pageAddress(input.referrer),
      userAgent: clip(ctx.userAgent, 512),
      locale: clip(input.locale, 35),
    };
    const known = input.visitorToken
      ? await this.store.visitors.byTokenHash(hashSecret(input.visitorToken))
      : null;
    const mine = known && known.projectId === project.id ? known : null;
    // The id the page asserts, even unproven: a device token stays with the user it was made for.
    const asserted = externalUserId ?? input.externalUserId ?? null;

    let result: StartedSession;
    if (input.visitorToken && mine && this.sameUser(mine, asserted)) {
      const patch: Parameters<Store['visitors']['update']>[1] = { ...seen };
      // An anonymous visitor who signs in keeps their conversation: it was theirs all along.
      if (externalUserId && (!mine.externalUserId || rank(identity) > rank(mine.identity))) {
        patch.externalUserId = externalUserId;
        patch.identity = identity;
      }
      const updated: VisitorRecord = { ...mine, ...patch };
      const canonical =
        updated.identity === 'verified' && updated.externalUserId
          ? await this.store.visitors.firstVerified(project.id, updated.externalUserId)
          : null;
      if (canonical && canonical !== mine.id) {
        result = await this.joinDevice(canonical, seen, notice);
      } else {
        await this.store.visitors.update(mine.id, patch);
        result = {
          ...(await this.withConversation(updated)),
          token: input.visitorToken,
          created: false,
          notice,
        };
      }
    } else {
      const canonical =
        identity === 'verified' && externalUserId
          ? await this.store.visitors.firstVerified(project.id, externalUserId)
          : null;
      result = canonical
        ? await this.joinDevice(canonical, seen, notice)
        : await this.createVisitor(project.id, externalUserId, identity, seen, notice);
    }

    const fetchFor = result.visitor.externalUserId;
    if (fetchFor && result.visitor.identity !== 'anonymous') {
      await this.contacts.seenInChat(project.id, fetchFor, result.visitor.identity, claims);
      const switched = !mine || mine.externalUserId !== fetchFor;
      void this.profiles.inBackground(
        await integration(),
        fetchFor,
        switched && mine ? 'identify' : 'session',
      );
    }
    if (result.conversation) {
      await this.announcer.visitorUpdated(project.id, result.visitor.id, [result.conversation.id]);
    }
    return result;
  }

  /** A verified user's new device: one more token for the visitor that holds their history. */
  private async joinDevice(
    visitorId: string,
    seen: Parameters<Store['visitors']['update']>[1],
    notice: string | null,
  ): Promise<StartedSession> {
    const token = newSecret();
    await this.store.visitors.addToken(visitorId, hashSecret(token), seen.lastSeenAt!);
    await this.store.visitors.update(visitorId, seen);
    const visitor = await this.store.visitors.get(visitorId);
    if (!visitor) throw new Error(`visitor ${visitorId} vanished`);
    return { ...(await this.withConversation(visitor)), token, created: false, notice };
  }

  private async createVisitor(
    projectId: string,
    externalUserId: string | null,
    identity: IdentityStatus,
    seen: Omit<
      VisitorRecord,
      'id' | 'projectId' | 'externalUserId' | 'identity' | 'firstSeenAt' | 'erasedAt'
    >,
    notice: string | null,
  ): Promise<StartedSession> {
    const token = newSecret();
    const visitor: VisitorRecord = {
      id: newId('vis'),
      projectId,
      externalUserId,
      identity,
      firstSeenAt: seen.lastSeenAt,
      ...seen,
      erasedAt: null,
    };
    await this.store.visitors.create({ ...visitor, tokenHash: hashSecret(token) });
    return { token, visitor, conversation: null, created: true, notice };
  }

  private async withConversation(visitor: VisitorRecord) {
    return { visitor, conversation: await this.store.conversations.openOf(visitor.id) };
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
    return this.store.visitors.byTokenHash(hashSecret(token));
  }
}

function rank(identity: IdentityStatus): number {
  return identity === 'verified' ? 2 : identity === 'claimed' ? 1 : 0;
}
