import type { NewDelivery } from './webhooks-port.js';
import type { FetchAttempt, Profile, Provenance } from '../../protocol/index.js';

/**
 * One person of a site, by the site's own id: the values pushed, pulled and carried in tokens,
 * merged (see server/contacts/), each with its provenance.
 */
export interface ContactRecord {
  projectId: string;
  externalUserId: string;
  /** Current values; `metadata` holds the properties. Null while nothing is known. */
  profile: Profile | null;
  provenance: Provenance;
  /** The strongest identity a visitor with this id proved in chat; null if never seen there. */
  identity: 'verified' | 'claimed' | null;
  /** The site's endpoint answered 404/410 for this id while a profile was kept. */
  notFoundAtSiteAt: string | null;
  /** Provenance of the last successful pull. */
  fetchedAt: string | null;
  httpStatus: number | null;
  latencyMs: number | null;
  lastAttempt: FetchAttempt | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Works out what to store for one contact from what is stored (null: none yet). Returns null to
 * leave the contact as it is. Runs inside the store's transaction: it must not do I/O.
 */
export type ContactChange = (
  current: ContactRecord | null,
  externalUserId: string,
) => ContactRecord | null;

/** How a change treats contacts absent when it runs. */
export interface ChangeOptions {
  /**
   * Creates an absent contact only while a visitor carries its id (an erase strips the id from
   * its visitors): for writers that learned the id from a visitor, such as a pull of the site's
   * endpoint or a chat session, which may finish after the person was erased and must not bring
   * them back. Absent ids no visitor carries are left out of the answer, `change` never called
   * for them. Without it, a change creates what it returns (a push: the site says the person is).
   */
  onlyWhileCarried?: boolean;
  /** Webhook deliveries telling of the contacts stored, written in the change's transaction. */
  outbox?: (changes: StoredContactChange[]) => NewDelivery[];
}

/** One contact a change stored: what it was (null: created) and what it is. */
export interface StoredContactChange {
  before: ContactRecord | null;
  after: ContactRecord;
}

export interface ContactQuery {
  limit: number;
  /** Resume after this contact (the last of the previous page). */
  after?: { updatedAt: string; externalUserId: string };
  /** Words each of which must appear in the name, email, phone, id or a property value. */
  text?: string;
  updatedSince?: string;
  identity?: 'verified' | 'claimed' | 'unseen';
  /** Contacts with at least one field from this source. */
  source?: 'push' | 'pull' | 'token';
}

/** Who did a destructive change, and what; kept in the project's audit log. */
export interface AuditEntry {
  id: string;
  projectId: string;
  at: string;
  /** "API key “CRM sync” (pk_live_3fA9)", "Agent Jane Doe <jane@…>": who to ask about it. */
  actor: string;
  action: 'contact.merged' | 'contact.erased';
  /** The external id acted on (for a merge: the primary). */
  subject: string;
  /** Never personal data: ids and counts. */
  details: Record<string, string | number | boolean | null>;
}

export interface ErasedContact {
  /** Conversations of the contact's visitors: kept, marked, stripped of the profile. */
  conversationIds: string[];
}

export interface MergedContacts {
  contact: ContactRecord;
  /** Conversations of the secondary's visitors, now under the primary's id. */
  conversationIds: string[];
}

/** The contacts of each project: one record per (project, external id). */
export interface ContactStore {
  get(projectId: string, externalUserId: string): Promise<ContactRecord | null>;
  /**
   * Applies `change` to each listed contact inside one transaction and stores what it returns.
   * Changes of one contact never interleave (row lock on PostgreSQL, the write lock on SQLite), so
   * no write is lost to a concurrent one, nor does it interleave with an erase of the contact.
   * Answers the stored records by external id.
   */
  change(
    projectId: string,
    externalUserIds: readonly string[],
    change: ContactChange,
    options?: ChangeOptions,
  ): Promise<Map<string, ContactRecord>>;
  /** Newest change first (updatedAt, then external id, descending). */
  list(projectId: string, query: ContactQuery): Promise<ContactRecord[]>;
  /**
   * Erases a person in one transaction: deletes the contact and the integration log entries of
   * the id; the visitors with the id lose it, their identity and page data, are marked erased, and
   * their session tokens stop resuming them; with `messages`, their conversations' messages are
   * deleted too. Null when neither a contact nor a visitor had the id.
   */
  erase(
    projectId: string,
    externalUserId: string,
    options: {
      messages: boolean;
      audit: AuditEntry;
      /** Webhook deliveries telling of the erasure, written with it if anything was erased. */
      deliveries?: NewDelivery[];
    },
  ): Promise<ErasedContact | null>;
  /**
   * Merges `secondary` into `primary` in one transaction: stores `combine(primary, secondary)` as
   * the primary, gives the secondary's visitors (and so their conversations) the primary's id,
   * deletes the secondary and appends `audit`. Null when either contact does not exist.
   */
  merge(
    projectId: string,
    primary: string,
    secondary: string,
    combine: (primary: ContactRecord, secondary: ContactRecord) => ContactRecord,
    audit: AuditEntry,
    /** Webhook deliveries telling of the merge (contact.deleted of the secondary), written with it. */
    deliveries?: NewDelivery[],
  ): Promise<MergedContacts | null>;
  /** The last merge that deleted `secondary`, if any: a retried merge answers from it. */
  lastMergeOf(projectId: string, secondary: string): Promise<AuditEntry | null>;
}
