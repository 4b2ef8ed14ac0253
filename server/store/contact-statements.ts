import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { compileOnce, param } from './compiled.js';
import { CONTACT_COLUMNS } from './contact-rows.js';
import { idIn } from './id-list.js';
import type { Database } from './schema.js';

/**
 * The contact statements, compiled once. A batch of contacts travels as one JSON parameter (an
 * array of ContactValues, or of ids) read by the database's JSON table function, so one statement
 * text serves every batch size: `change` of 100 contacts is one read and one write.
 */
export function compileContactStatements(db: Kysely<Database>, dialect: 'sqlite' | 'postgres') {
  const projectId = param<string>('projectId');
  const externalUserId = param<string>('externalUserId');
  const pg = dialect === 'postgres';

  const byIds = db
    .selectFrom('contacts')
    .select(CONTACT_COLUMNS)
    .where('project_id', '=', projectId)
    .where(idIn(pg, param('ids')));

  // The values of each batch row, in CONTACT_COLUMNS order, as the column types need them.
  const cell = (i: number, cast = '') =>
    pg ? `(r->>${i})${cast}` : `json_extract(r.value, '$[${i}]')`;
  const cells = CONTACT_COLUMNS.map((column, i) =>
    cell(i, column === 'http_status' ? '::int' : column === 'latency_ms' ? '::real' : ''),
  ).join(', ');
  const batch = pg
    ? sql`select ${sql.raw(cells)} from jsonb_array_elements(${param('rows')}::jsonb) as r`
    : // `where true`: SQLite's parser needs it between a SELECT and ON CONFLICT.
      sql`select ${sql.raw(cells)} from json_each(${param('rows')}) as r where true`;
  const insertBatch = db.insertInto('contacts').columns(CONTACT_COLUMNS).expression(batch);
  const [, , ...updated] = CONTACT_COLUMNS;

  return {
    get: compileOnce(
      db
        .selectFrom('contacts')
        .select(CONTACT_COLUMNS)
        .where('project_id', '=', projectId)
        .where('external_user_id', '=', externalUserId),
    ),
    /** The listed contacts; on PostgreSQL locked, in one order for every caller (no deadlock). */
    lockMany: compileOnce(pg ? byIds.orderBy('external_user_id').forUpdate() : byIds),
    readMany: compileOnce(byIds),
    /** Stores the batch over what is stored. */
    upsertMany: compileOnce(
      insertBatch.onConflict((oc) =>
        oc
          .columns(['project_id', 'external_user_id'])
          .doUpdateSet((eb) =>
            Object.fromEntries(updated.map((c) => [c, eb.ref(`excluded.${c}`)])),
          ),
      ),
    ),
    /** Inserts the contacts of the batch that nobody stored meanwhile; answers their ids. */
    insertNew: compileOnce(
      insertBatch
        .onConflict((oc) => oc.columns(['project_id', 'external_user_id']).doNothing())
        .returning('external_user_id'),
    ),
    /**
     * PostgreSQL: takes the transaction's lock of each key, in the order given (see lockKeys).
     * A row lock cannot serve: a contact not created yet has no row to lock.
     */
    lockKeys: compileOnce(
      db
        .selectFrom(sql`unnest(${param('keys')}::int[])`.as('k'))
        .select(sql`pg_advisory_xact_lock(${sql.lit(CONTACT_LOCKS)}, k)`.as('locked')),
    ),
    /** Which of the ids a visitor that was not erased carries. */
    carried: compileOnce(
      db
        .selectFrom('visitors')
        .select('external_user_id')
        .distinct()
        .where('project_id', '=', projectId)
        .where('erased_at', 'is', null)
        .where(idIn(pg, param('ids')))
        .$narrowType<{ external_user_id: string }>(),
    ),
  };
}

/** The first key of PostgreSQL's two-key advisory locks that guard contacts ("Pala"). */
const CONTACT_LOCKS = 0x50616c61;

/**
 * The advisory lock keys of contacts, sorted: every transaction takes its keys in this one order,
 * so none waits for another in a cycle. Keys may collide; two contacts then share a lock.
 */
export function lockKeys(projectId: string, externalUserIds: readonly string[]): number[] {
  const keys = externalUserIds.map((id) =>
    createHash('sha256').update(`${projectId}\n${id}`).digest().readInt32BE(0),
  );
  return [...new Set(keys)].sort((a, b) => a - b);
}

export type ContactStatements = ReturnType<typeof compileContactStatements>;
