import type { Kysely, Transaction } from 'kysely';
import { runStatement, runStatementRows } from './compiled.js';
import { eraseContact, mergeContacts } from './contact-erase.js';
import { listContacts } from './contact-list.js';
import {
  contactValues,
  toAuditEntry,
  toContactRecord,
  valuesToRow,
  type ContactValues,
} from './contact-rows.js';
import { idListValue } from './id-list.js';
import {
  compileContactStatements,
  lockKeys,
  type ContactStatements,
} from './contact-statements.js';
import type {
  AuditEntry,
  ChangeOptions,
  ContactChange,
  ContactQuery,
  ContactRecord,
  ContactStore,
  ErasedContact,
  MergedContacts,
  StoredContactChange,
} from './contacts-port.js';
import { insertDeliveries } from './outbox-rows.js';
import type { Database } from './schema.js';
import type { NewDelivery } from './webhooks-port.js';

/** Rounds after which contacts that keep being created and erased under a change give up. */
const MAX_ROUNDS = 5;

export class KyselyContactStore implements ContactStore {
  private readonly statements: ContactStatements;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {
    this.statements = compileContactStatements(db, dialect);
  }

  async get(projectId: string, externalUserId: string): Promise<ContactRecord | null> {
    const row = await runStatement(this.db, this.statements.get, { projectId, externalUserId });
    return row ? toContactRecord(row) : null;
  }

  change(
    projectId: string,
    externalUserIds: readonly string[],
    change: ContactChange,
    options: ChangeOptions = {},
  ): Promise<Map<string, ContactRecord>> {
    // Sorted: PostgreSQL locks the rows in this order in every caller, so none waits in a cycle.
    const ids = [...new Set(externalUserIds)].sort();
    if (ids.length === 0) return Promise.resolve(new Map<string, ContactRecord>());
    return this.db.transaction().execute(async (trx) => {
      await this.lock(trx, projectId, ids);
      const stored = new Map<string, ContactRecord>();
      const changes = new Map<string, StoredContactChange>();
      let pending = ids;
      for (let round = 0; pending.length > 0; round++) {
        if (round === MAX_ROUNDS) {
          throw new Error(`Contacts ${pending.join(', ')} kept changing under a change; try again`);
        }
        pending = await this.changeRound(trx, projectId, pending, change, options, stored, changes);
      }
      if (options.outbox) await insertDeliveries(trx, options.outbox([...changes.values()]));
      return stored;
    });
  }

  /**
   * Applies the change to the ids once; answers the ids of contacts another transaction created
   * meanwhile (PostgreSQL only: SQLite's transaction holds the write lock), to be done again.
   */
  private async changeRound(
    trx: Transaction<Database>,
    projectId: string,
    ids: string[],
    change: ContactChange,
    options: ChangeOptions,
    stored: Map<string, ContactRecord>,
    changes: Map<string, StoredContactChange>,
  ): Promise<string[]> {
    const { lockMany, upsertMany, insertNew } = this.statements;
    const rows = await runStatementRows(trx, lockMany, { projectId, ids: this.idsParam(ids) });
    const current = new Map(rows.map((row) => [row.external_user_id, toContactRecord(row)]));
    const absent = ids.filter((id) => !current.has(id));
    // Null: the change may create every absent contact.
    const creatable = options.onlyWhileCarried ? await this.carried(trx, projectId, absent) : null;
    const existing: ContactValues[] = [];
    const created: ContactValues[] = [];
    for (const id of ids) {
      const before = current.get(id) ?? null;
      if (!before && creatable && !creatable.has(id)) continue;
      const after = change(before, id);
      if (!after) {
        if (before) stored.set(id, before);
        continue;
      }
      const values = contactValues(projectId, id, after);
      (before || this.dialect === 'sqlite' ? existing : created).push(values);
      stored.set(id, { ...after, projectId, externalUserId: id });
      changes.set(id, { before, after: { ...after, projectId, externalUserId: id } });
    }
    if (existing.length > 0) {
      await runStatement(trx, upsertMany, { rows: JSON.stringify(existing) });
    }
    if (created.length === 0) return [];
    // A contact created by another transaction after the read above is left to it, and read
    // (and locked) again: overwriting it would lose that transaction's write.
    const inserted = await runStatementRows(trx, insertNew, { rows: JSON.stringify(created) });
    const done = new Set(inserted.map((row) => row.external_user_id));
    const raced = created.map((values) => values[1]).filter((id) => !done.has(id));
    for (const id of raced) {
      stored.delete(id);
      changes.delete(id);
    }
    return raced;
  }

  list(projectId: string, query: ContactQuery): Promise<ContactRecord[]> {
    return listContacts(this.db, this.dialect, projectId, query);
  }

  erase(
    projectId: string,
    externalUserId: string,
    options: { messages: boolean; audit: AuditEntry; deliveries?: NewDelivery[] },
  ): Promise<ErasedContact | null> {
    return this.db.transaction().execute(async (trx) => {
      // A change waiting on the lock then finds the contact gone and its visitors stripped.
      await this.lock(trx, projectId, [externalUserId]);
      const erased = await eraseContact(trx, this.dialect, projectId, externalUserId, options);
      if (erased) await insertDeliveries(trx, options.deliveries ?? []);
      return erased;
    });
  }

  merge(
    projectId: string,
    primary: string,
    secondary: string,
    combine: (primary: ContactRecord, secondary: ContactRecord) => ContactRecord,
    audit: AuditEntry,
    deliveries: NewDelivery[] = [],
  ): Promise<MergedContacts | null> {
    if (primary === secondary) {
      return Promise.reject(new RangeError(`A contact cannot be merged into itself (${primary})`));
    }
    return this.db.transaction().execute(async (trx) => {
      await this.lock(trx, projectId, [primary, secondary]);
      const { lockMany, upsertMany } = this.statements;
      const rows = await runStatementRows(trx, lockMany, {
        projectId,
        ids: this.idsParam([primary, secondary].sort()),
      });
      const find = (id: string) => rows.find((row) => row.external_user_id === id);
      const [p, s] = [find(primary), find(secondary)];
      if (!p || !s) return null;
      const values = contactValues(
        projectId,
        primary,
        combine(toContactRecord(p), toContactRecord(s)),
      );
      await runStatement(trx, upsertMany, { rows: JSON.stringify([values]) });
      const conversationIds = await mergeContacts(trx, projectId, primary, secondary, audit);
      await insertDeliveries(trx, deliveries);
      return { contact: toContactRecord(valuesToRow(values)), conversationIds };
    });
  }

  async lastMergeOf(projectId: string, secondary: string): Promise<AuditEntry | null> {
    const row = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('merged_from', '=', secondary)
      .where('action', '=', 'contact.merged')
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toAuditEntry(row) : null;
  }

  /** Of these ids, those a visitor that was not erased carries. */
  private async carried(
    trx: Transaction<Database>,
    projectId: string,
    ids: string[],
  ): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await runStatementRows(trx, this.statements.carried, {
      projectId,
      ids: this.idsParam(ids),
    });
    return new Set(rows.map((row) => row.external_user_id));
  }

  /**
   * PostgreSQL: the contacts' advisory locks, before any row: changes and erasures of one
   * contact, created or not yet, then run one after the other, and the row locks they take next
   * never form a cycle. SQLite's transaction already holds the write lock.
   */
  private async lock(trx: Transaction<Database>, projectId: string, ids: string[]) {
    if (this.dialect !== 'postgres') return;
    await runStatementRows(trx, this.statements.lockKeys, { keys: lockKeys(projectId, ids) });
  }

  /** A list of ids as the dialect's statements take it. */
  private idsParam(ids: string[]): unknown {
    return idListValue(this.dialect === 'postgres', ids);
  }
}
