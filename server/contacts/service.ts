import {
  ContactInput,
  ExternalUserId,
  PROFILE_LIMITS,
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
import { newId } from '../ids.js';
import type { AuditEntry, ContactRecord, Store } from '../store/index.js';
import { announceContact } from './announce.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { inputWrite, type PreparedWrite } from './input-write.js';
import { applyWrite, blankContact, combine, withIdentity } from './rules.js';
import { toContact } from './view.js';

/** Who changed a contact through the API or the console: recorded, never a secret. */
export interface Actor {
  /** Shown as the provenance of pushed values: the API key's label. */
  label: string;
  /** For the audit log: "API key “CRM sync” (pk_3fA9…)". */
  description: string;
}

const DEFAULT_PAGE = 50;

function invalid(message: string, fields: FieldError[]): AppError {
  return new AppError('validation_failed', 422, message, fields);
}

function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }, root = '') {
  return error.issues.map((issue) => ({
    path: [root, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
  }));
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
  ) {}

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
    const seen = new Map<unknown, number>();
    const duplicates: FieldError[] = [];
    items.forEach((item, index) => {
      const first = seen.get(item.externalId);
      if (first !== undefined && typeof item.externalId === 'string') {
        duplicates.push({
          path: `contacts[${index}].externalId`,
          message: `repeats contacts[${first}].externalId "${item.externalId}"; send each contact once per batch`,
        });
      } else seen.set(item.externalId, index);
    });
    if (duplicates.length > 0) {
      throw invalid(
        'The batch holds the same externalId more than once; nothing was applied',
        duplicates,
      );
    }
    const at = this.now().toISOString();
    const results: BulkItemResult[] = [];
    const valid: { index: number; externalId: string; prepared: PreparedWrite }[] = [];
    items.forEach((item, index) => {
      const { externalId, ...fields } = item;
      const id = ExternalUserId.safeParse(externalId);
      const input = ContactInput.safeParse(fields);
      const errors = [
        ...(id.success ? [] : issuesOf(id.error, 'externalId')),
        ...(input.success ? [] : issuesOf(input.error)),
      ];
      const prepared = input.success ? inputWrite(input.data, this.pushedBy(actor, at)) : null;
      if (prepared && !prepared.ok) errors.push(...prepared.errors);
      if (!id.success || !prepared?.ok || errors.length > 0) {
        const shown = typeof externalId === 'string' ? externalId : null;
        results.push({ index, externalId: shown, status: 'error', errors });
        return;
      }
      valid.push({ index, externalId: id.data, prepared });
    });
    const outcomes = await this.applyPushes(projectId, valid);
    outcomes.forEach((outcome, i) => {
      const { index, externalId } = valid[i]!;
      results.push(
        outcome.status === 'ok'
          ? { index, externalId, status: 'ok', created: outcome.created, dropped: outcome.dropped }
          : { index, externalId, status: 'error', errors: outcome.errors },
      );
    });
    results.sort((a, b) => a.index - b.index);
    const applied = results.filter((r) => r.status === 'ok').length;
    return { applied, failed: results.length - applied, results };
  }

  private pushedBy(actor: Actor, at: string): FieldSource {
    return { source: 'push', at, detail: actor.label };
  }

  /**
   * A visitor with this id started a chat: the contact exists from now on, keeps the strongest
   * identity proved, and takes the profile claims of a verified token like a push.
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
    const stored = await this.store.contacts.change(projectId, [externalId], (current) => {
      const base = withIdentity(current ?? blankContact(projectId, externalId, at), identity);
      const next = prepared?.ok ? applyWrite(base, prepared.write) : base;
      const kept = sizeProblems(next).length === 0 ? next : base;
      profileChanged = kept.profile !== base.profile;
      return kept === current ? null : kept;
    });
    const record = stored.get(externalId);
    if (record && profileChanged) await announceContact(this.deps(), projectId, externalId, record);
  }

  private async applyPushes(
    projectId: string,
    pushes: readonly {
      externalId: string;
      prepared: Extract<PreparedWrite, { ok: true }> | PreparedWrite;
    }[],
  ) {
    type Outcome =
      | { status: 'ok'; contact: Contact; created: boolean; dropped: DroppedProperty[] }
      | { status: 'error'; errors: FieldError[] };
    const byId = new Map(pushes.map((p) => [p.externalId, p.prepared]));
    const created = new Set<string>();
    const tooLarge = new Map<string, FieldError[]>();
    const stored = await this.store.contacts.change(projectId, [...byId.keys()], (current, id) => {
      const prepared = byId.get(id);
      if (!prepared?.ok) return null;
      const base = current ?? blankContact(projectId, id, prepared.write.origin.at);
      const next = applyWrite(base, prepared.write);
      const problems = sizeProblems(next);
      if (problems.length > 0) {
        tooLarge.set(id, problems);
        return null;
      }
      if (!current) created.add(id);
      return next === current ? null : next;
    });
    const changed = [...created, ...[...stored.keys()].filter((id) => !created.has(id))];
    await this.announceAll(projectId, changed, stored);
    return pushes.map(({ externalId, prepared }): Outcome => {
      const errors = tooLarge.get(externalId);
      if (errors) return { status: 'error', errors };
      const record = stored.get(externalId);
      if (!prepared.ok) return { status: 'error', errors: prepared.errors };
      // Unchanged contacts are not written again: read back what is stored.
      return {
        status: 'ok',
        contact: toContact(record ?? blankContact(projectId, externalId, prepared.write.origin.at)),
        created: created.has(externalId),
        dropped: prepared.dropped,
      };
    });
  }

  private async announceAll(
    projectId: string,
    ids: readonly string[],
    records: Map<string, ContactRecord>,
  ): Promise<void> {
    for (const id of ids) {
      const record = records.get(id);
      if (record) await announceContact(this.deps(), projectId, id, record);
    }
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
      ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}),
      ...(query.q?.trim() ? { text: query.q.trim() } : {}),
      ...(query.updatedSince ? { updatedSince: query.updatedSince } : {}),
      ...(query.identity ? { identity: query.identity } : {}),
      ...(query.source ? { source: query.source } : {}),
    });
    const page = records.slice(0, limit);
    const last = page.at(-1);
    return {
      data: page.map(toContact),
      nextCursor: records.length > limit && last ? encodeCursor(last) : null,
    };
  }

  async erase(
    projectId: string,
    externalId: string,
    options: { messages: boolean },
    actor: Actor,
  ): Promise<EraseResult> {
    const visitors = await this.store.visitors.ofContact(projectId, externalId);
    const erased = await this.store.contacts.erase(projectId, externalId, {
      messages: options.messages,
      audit: this.audit(projectId, actor, 'contact.erased', externalId, {
        messagesErased: options.messages,
      }),
    });
    if (!erased) throw notFound(`No contact or visitor has the externalId "${externalId}"; it`);
    for (const { visitorId, conversationIds } of visitors) {
      await this.announcer.visitorUpdated(projectId, visitorId, conversationIds);
    }
    return {
      externalId,
      conversations: erased.conversationIds.length,
      messagesErased: options.messages,
    };
  }

  async merge(
    projectId: string,
    primary: string,
    secondary: string,
    actor: Actor,
  ): Promise<MergeResult> {
    if (primary === secondary) {
      throw invalid('A contact cannot be merged into itself', [
        { path: 'fromExternalId', message: 'must differ from the contact merged into' },
      ]);
    }
    const target = await this.store.contacts.get(projectId, primary);
    if (!target) throw notFound(`No contact has the externalId "${primary}"; it`);
    const visitors = await this.store.visitors.ofContact(projectId, secondary);
    const at = this.now().toISOString();
    const merged = await this.store.contacts.merge(
      projectId,
      primary,
      secondary,
      (p, s) => combine(p, s, at),
      this.audit(projectId, actor, 'contact.merged', primary, { from: secondary }),
    );
    if (!merged) {
      // A retry of a merge that went through (its answer lost) finds the secondary gone.
      const done = await this.store.contacts.lastMergeOf(projectId, secondary);
      if (done?.subject !== primary) {
        throw notFound(`No contact has the externalId "${secondary}" (fromExternalId); it`);
      }
      return {
        contact: toContact(target),
        mergedFrom: secondary,
        conversationsMoved: 0,
        alreadyMerged: true,
      };
    }
    for (const { visitorId, conversationIds } of visitors) {
      await this.announcer.visitorUpdated(projectId, visitorId, conversationIds);
    }
    await announceContact(this.deps(), projectId, primary, merged.contact);
    return {
      contact: toContact(merged.contact),
      mergedFrom: secondary,
      conversationsMoved: merged.conversationIds.length,
      alreadyMerged: false,
    };
  }

  private audit(
    projectId: string,
    actor: Actor,
    action: AuditEntry['action'],
    subject: string,
    details: AuditEntry['details'],
  ): AuditEntry {
    return {
      id: newId('aud'),
      projectId,
      at: this.now().toISOString(),
      actor: actor.description,
      action,
      subject,
      details,
    };
  }
}

/** The bounds a stored contact keeps, whatever combination of writes built it. */
function sizeProblems(record: ContactRecord): FieldError[] {
  const properties = record.profile?.metadata ?? {};
  if (Object.keys(properties).length > PROFILE_LIMITS.metadataKeys) {
    return [
      {
        path: 'properties',
        message: `the contact would have more than ${PROFILE_LIMITS.metadataKeys} properties; remove some with null`,
      },
    ];
  }
  if (Buffer.byteLength(JSON.stringify(record.profile)) > PROFILE_LIMITS.profileBytes) {
    return [
      {
        path: '(root)',
        message: `the contact would be larger than ${PROFILE_LIMITS.profileBytes / 1024} KiB`,
      },
    ];
  }
  return [];
}
