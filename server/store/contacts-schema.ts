import { sql, type Kysely } from 'kysely';
import type { Profile } from '../../protocol/index.js';
import { POSTGRES_SEPARATORS, searchText } from './contact-search.js';

/**
 * Migration 0004's part for the contacts table: provenance, identity, the search text and its
 * index, and the list's indexes. Part of a shipped migration once released: never edit, add.
 *
 * SQLite: the table is rebuilt with an INTEGER PRIMARY KEY, because the FTS5 index refers to
 * rows by rowid and VACUUM renumbers the rowids of a table without one. The index is an
 * external-content FTS5 table (`ascii` tokenizer, the tokens contact-search.ts defines) kept by
 * triggers; an update that leaves the search text alone does not touch it.
 * PostgreSQL: a generated tsvector of the same tokens, in a GIN index (no extension needed).
 */
export async function contactsSchema(
  db: Kysely<unknown>,
  dialect: 'sqlite' | 'postgres',
): Promise<void> {
  const run = (text: string) => sql.raw(text).execute(db);
  const provenance = `'{"fields":{},"properties":{}}'`;
  if (dialect === 'sqlite') {
    await run(`create table contacts_0004 (
      id integer primary key,
      project_id text not null references projects(id) on delete cascade,
      external_user_id text not null,
      profile text, name text, fetched_at text, http_status integer, latency_ms real,
      last_attempt text, created_at text not null, updated_at text not null,
      provenance text not null default ${provenance},
      identity text, not_found_at_site_at text,
      sources text not null default '', search text not null default '',
      unique (project_id, external_user_id))`);
    const kept =
      'project_id, external_user_id, profile, name, fetched_at, http_status, latency_ms, ' +
      'last_attempt, created_at, updated_at';
    await run(`insert into contacts_0004 (${kept}) select ${kept} from contacts`);
    await run('drop table contacts');
    await run('alter table contacts_0004 rename to contacts');
  } else {
    await run(`alter table contacts add column provenance text not null default ${provenance}`);
    await run('alter table contacts add column identity text');
    await run('alter table contacts add column not_found_at_site_at text');
    await run(`alter table contacts add column sources text not null default ''`);
    await run(`alter table contacts add column search text not null default ''`);
  }
  await fillSearch(db);

  if (dialect === 'sqlite') {
    await run(`create virtual table contacts_fts using fts5(search, content='contacts',
      content_rowid='id', tokenize='ascii', detail=none)`);
    await run(`insert into contacts_fts(contacts_fts) values ('rebuild')`);
    await run(`create trigger contacts_fts_insert after insert on contacts begin
      insert into contacts_fts(rowid, search) values (new.id, new.search); end`);
    await run(`create trigger contacts_fts_delete after delete on contacts begin
      insert into contacts_fts(contacts_fts, rowid, search) values ('delete', old.id, old.search);
      end`);
    await run(`create trigger contacts_fts_update after update of search on contacts
      when old.search is not new.search begin
      insert into contacts_fts(contacts_fts, rowid, search) values ('delete', old.id, old.search);
      insert into contacts_fts(rowid, search) values (new.id, new.search); end`);
  } else {
    await run(`alter table contacts add column search_vector tsvector generated always as
      (array_to_tsvector(array_remove(regexp_split_to_array(search, '${POSTGRES_SEPARATORS}'), '')))
      stored`);
    await run('create index contacts_search on contacts using gin (search_vector)');
  }

  // The list: newest change first, ids compared by byte (as SQLite does) on PostgreSQL too.
  const key = `updated_at, external_user_id${dialect === 'postgres' ? ' collate "C"' : ''}`;
  // SQLite: with the search text, so that a search checks the newest rows from the index alone.
  const list = dialect === 'sqlite' ? `${key}, search` : key;
  await run(`create index contacts_list on contacts (project_id, ${list})`);
  await run(`create index contacts_identity on contacts (project_id, identity, ${key})`);
  for (const source of ['push', 'pull', 'token']) {
    await run(`create index contacts_source_${source} on contacts (project_id, ${key})
      where sources like '%${source}%'`);
  }
}

/** The search text of the contacts stored before 0004 (pulled profiles only). */
async function fillSearch(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{
    project_id: string;
    external_user_id: string;
    profile: string | null;
  }>`select project_id, external_user_id, profile from contacts`.execute(db);
  for (const row of rows) {
    const profile = row.profile === null ? null : (JSON.parse(row.profile) as Profile);
    await sql`update contacts set search = ${searchText(row.external_user_id, profile)}
      where project_id = ${row.project_id} and external_user_id = ${row.external_user_id}`.execute(
      db,
    );
  }
}
