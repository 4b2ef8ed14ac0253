import {
  type ContactInput,
  type BulkIdentifyResult,
  type BulkItemResult,
  type Contact,
  type ContactDetail,
  type ContactListQuery,
  type ContactPage,
  type DroppedProperty,
  type EraseResult,
  type FieldError,
  type FieldSource,
  type IdentifyResult,
  type MergeResult,
} from '../../protocol/index.js';
import type { Announcer } from '../announcer/index.js';
import { AppError, notFound } from '../errors.js';
import { blankContact, type Store } from '../store/index.js';
import { announceContact, announceContacts } from './announce.js';
import { decodeContactCursor, encodeContactCursor } from './cursor.js';
import { checkBatch, repeatedIds } from './bulk.js';
import { inputWrite, type ReadyWrite } from './input-write.js';
import { eraseContact, mergeContacts } from './removal.js';
import { applyWrite, sizeProblems, withIdentity } from './rules.js';
import { toContact } from './view.js';
import {
  contactChangeOutbox,
  contactDeletedDeliveries,
  type WebhookOutbox,
} from '../webhooks/index.js';

/** Who changed a contact through the API or the console: recorded, never a secret. */
export interface Actor {
  /** Shown as the provenance of pushed values: the API key's label. */
  label: string;
  /** For the audit log: "API key “CRM sync” (pk_3fA9…)". */
  description: string;
}

const DEFAULT_PAGE = 50;

type PushOutcome =
  | { status: 'ok'; contact: Contact; created: boolean; dropped: DroppedProperty[] }
  | { status: 'error'; errors: FieldError[] };

function invalid(message: string, fields: FieldError[]): AppError {
  return new AppError('validation_failed', 422, message, fields);
}

/**
 * The contacts of a project: pushed by the site's servers, pulled from its endpoint, carried in
 * its tokens, merged per field (rules.ts), erased and merged on request. Every change that agents
 * can see is announced to the consoles showing the contact.
 */
export class ContactService {
  constructor(
    private readonly store: Store,
    private readonly announcer: Announcer,
    private readonly now: () => Date = () => new Date(),
    /** Contact webhooks (contact.updated, contact.deleted); none in tests that need none. */
    private readonly webhooks?: WebhookOutbox,
  ) {}

  /** The webhook part of a change's options, and the wake for the dispatcher once it is stored. */
  private async webhookOptions(projectId: string) {
    return contactChangeOutbox(this.webhooks, projectId, () => this.now().toISOString());
  }

  async identify(
    projectId: string,
    externalId: string,
    input: ContactInput,
    actor: Actor,
  ): Promise<IdentifyResult> {
    const prepared = inputWrite(input, this.pushedBy(actor, this.now().toISOString()));
    if (!prepared.ok) throw invalid('Invalid contact — see errors', prepared.errors);
    const [outcome] = await this.applyPushes(projectId, [{ externalId, prepared }]);
    if (!outcome || outcome.status === 'error') {
      throw invalid('The contact cannot be stored', outcome?.errors ?? []);
    }
    return { contact: outcome.contact, created: outcome.created, dropped: outcome.dropped };
  }

  /**
   * Applies each item on its own: a bad item is answered with its errors, the others are stored.
   * The batch itself must be well formed: duplicate ids would make the result depend on order.
   */
  async identifyMany(
    projectId: string,
    items: readonly Record<string, unknown>[],
    actor: Actor,
  ): Promise<BulkIdentifyResult> {
    const repeats = repeatedIds(items);
    if (repeats.length > 0) {
      throw invalid(
        'The batch holds the same externalId more than once; nothing was applied',
        repeats,
      );
    }
    const { ready, refused } = checkBatch(items, this.pushedBy(actor, this.now().toISOString()));
    const outcomes = await this.applyPushes(projectId, ready);
    const results: BulkItemResult[] = [
      ...refused,
      ...ready.map(({ index, externalId }, i): BulkItemResult => {
        const outcome = outcomes[i]!;
        return outcome.status === 'ok'
          ? { index, externalId, status: 'ok', created: outcome.created, dropped: outcome.dropped }
          : { index, externalId, status: 'error', errors: outcome.errors };
      }),
    ].sort((x, y) => x.index - y.index);
    const applied = results.filter((r) => r.status === 'ok').length;
    return { applied, failed: results.length - applied, results };
  }

  private pushedBy(actor: Actor, at: string): FieldSource {
    return { source: 'push', at, detail: actor.label };
  }

  /**
   * A visitor with this id started a chat: the contact exists from now on, keeps the strongest
   * identity proved, and takes the profile claims of a verified token like a push. Unless the
   * person was erased since the visitor started: then nothing carries the id any more.
   */
  async seenInChat(
    projectId: string,
    externalId: string,
    identity: 'verified' | 'claimed',
    claims: ContactInput | null,
  ): Promise<void> {
    const at = this.now().toISOString();
    const prepared = claims ? inputWrite(claims, { source: 'token', at, detail: null }) : null;
    let profileChanged = false;
    const stored = await this.store.contacts.change(
      projectId,
      [externalId],
      (current) => {
        const base = withIdentity(current ?? blankContact(projectId, externalId, at), identity);
        const next = prepared?.ok ? applyWrite(base, prepared.write) : base;
        const kept = sizeProblems(next).length === 0 ? next : base;
        profileChanged = kept.profile !== base.profile;
        return kept === current ? null : kept;
      },
      { onlyWhileCarried: true, ...(await this.webhookOptions(projectId)) },
    );
    this.webhooks?.written();
    const record = stored.get(externalId);
    if (record && profileChanged) await announceContact(this.deps(), projectId, record);
  }

  /**
   * Stores checked pushes in one transaction. A push that would make its contact too large is
   * answered with that error and leaves the contact as it was; only contacts whose content
   * changed are announced.
   */
  private async applyPushes(
    projectId: string,
    pushes: readonly { externalId: string; prepared: ReadyWrite }[],
  ): Promise<PushOutcome[]> {
    const byId = new Map(pushes.map((p) => [p.externalId, p.prepared]));
    const created = new Set<string>();
    const changed = new Set<string>();
    const tooLarge = new Map<string, FieldError[]>();
    const webhookOptions = await this.webhookOptions(projectId);
    const stored = await this.store.contacts.change(
      projectId,
      [...byId.keys()],
      (current, id) => {
        // Called again for a contact another instance created meanwhile: start from scratch.
        for (const marks of [created, changed, tooLarge]) marks.delete(id);
        const prepared = byId.get(id);
        if (!prepared) return null;
        const base = current ?? blankContact(projectId, id, prepared.write.origin.at);
        const next = applyWrite(base, prepared.write);
        const problems = sizeProblems(next);
        if (problems.length > 0) {
          tooLarge.set(id, problems);
          return null;
        }
        if (!current) created.add(id);
        if (next === current) return null;
        changed.add(id);
        return next;
      },
      webhookOptions,
    );
    if (webhookOptions.outbox) this.webhooks?.written();
    const changedRecords = [...changed].flatMap((id) => stored.get(id) ?? []);
    await announceContacts(this.deps(), projectId, changedRecords);
    return pushes.map(({ externalId, prepared }): PushOutcome => {
      const errors = tooLarge.get(externalId);
      const record = stored.get(externalId);
      if (errors || !record) return { status: 'error', errors: errors ?? [] };
      return {
        status: 'ok',
        contact: toContact(record),
        created: created.has(externalId),
        dropped: prepared.dropped,
      };
    });
  }

  private deps() {
    return { store: this.store, announcer: this.announcer };
  }

  async get(projectId: string, externalId: string): Promise<Contact> {
    const record = await this.store.contacts.get(projectId, externalId);
    if (!record) throw notFound(`No contact has the externalId "${externalId}"; it`);
    return toContact(record);
  }

  /** The console's page of a contact: the contact and the conversations of its visitors. */
  async detail(projectId: string, externalId: string): Promise<ContactDetail> {
    const contact = await this.get(projectId, externalId);
    const visitors = await this.store.visitors.ofContact(projectId, externalId);
    const records = await Promise.all(
      visitors.flatMap((v) => v.conversationIds).map((id) => this.store.conversations.get(id)),
    );
    const conversations = records
      .filter((c) => c !== null)
      .sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt))
      .map((c) => ({
        id: c.id,
        status: c.status,
        createdAt: c.createdAt,
        lastActivityAt: c.lastActivityAt,
        lastMessageBody: c.lastMessage?.body ?? null,
      }));
    return { contact, conversations };
  }

  async list(projectId: string, query: ContactListQuery): Promise<ContactPage> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const records = await this.store.contacts.list(projectId, {
      limit: limit + 1,
      ...(query.cursor ? { after: decodeContactCursor(query.cursor) } : {}),
      ...(query.q?.trim() ? { text: query.q.trim() } : {}),
      ...(query.updatedSince ? { updatedSince: query.updatedSince } : {}),
      ...(query.identity ? { identity: query.identity } : {}),
      ...(query.source ? { source: query.source } : {}),
    });
    const page = records.slice(0, limit);
    const last = page.at(-1);
    return {
      data: page.map(toContact),
      nextCursor: records.length > limit && last ? encodeContactCursor(last) : null,
    };
  }

  /** Erases a person (README, "Erase"); recorded in the audit log. */
  async erase(
    projectId: string,
    externalId: string,
    options: { messages: boolean },
    actor: Actor,
  ): Promise<EraseResult> {
    const deliveries = await contactDeletedDeliveries(
      this.webhooks,
      projectId,
      externalId,
      this.now().toISOString(),
    );
    const result = await eraseContact(
      this.context(),
      projectId,
      externalId,
      options,
      actor,
      deliveries,
    );
    if (deliveries.length > 0) this.webhooks?.written();
    return result;
  }

  /** Merges `secondary` into `primary` (README, "Merge"); safe to retry. */
  async merge(
    projectId: string,
    primary: string,
    secondary: string,
    actor: Actor,
  ): Promise<MergeResult> {
    // The secondary contact is gone: receivers hear of it as of an erasure.
    const deliveries = await contactDeletedDeliveries(
      this.webhooks,
      projectId,
      secondary,
      this.now().toISOString(),
    );
    const result = await mergeContacts(
      this.context(),
      projectId,
      primary,
      secondary,
      actor,
      deliveries,
    );
    if (deliveries.length > 0) this.webhooks?.written();
    return result;
  }

  private context() {
    return { store: this.store, announcer: this.announcer, now: this.now };
  }
}
