import { sql, type Kysely } from 'kysely';
import { CONTACT_COLUMNS, toContactRecord } from './contact-rows.js';
import {
  countWithToken,
  ftsQuery,
  matcher,
  searchWords,
  tokensOf,
  tsQuery,
} from './contact-search.js';
import { idIn } from './contact-statements.js';
import type { ContactQuery, ContactRecord } from './contacts-port.js';
import type { Database } from './schema.js';

/** Rows a text search checks newest first before it turns to the index (and per later step). */
const STEP = 1000;
/**
 * A token in more of the checked rows than this is left out of the index query: an FTS5 prefix
 * query reads every row of its token, so a common one costs more than it narrows.
 */
const SELECTIVE = 0.02;
/** Past this, even the rarest token narrows too little: checking row after row is cheaper. */
const INDEX_WORTHWHILE = 0.1;

interface Key {
  external_user_id: string;
  updated_at: string;
  search: string;
}

/**
 * A page of contacts, newest change first. Without text, one query on the list index. With
 * text, the newest rows are checked first (a common word fills the page from them), then the rows
 * the search index names for the query's rarest tokens; contact-search.ts decides every match, so
 * both dialects answer alike.
 */
export async function listContacts(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  projectId: string,
  query: ContactQuery,
): Promise<ContactRecord[]> {
  const pg = dialect === 'postgres';
  // PostgreSQL compares ids by bytes like SQLite does, whatever the database's collation.
  const id = pg ? sql`external_user_id collate "C"` : sql.ref('external_user_id');
  const filtered = (after: ContactQuery['after']) => {
    let q = db.selectFrom('contacts').where('project_id', '=', projectId);
    if (after)
      q = q.where(
        sql<boolean>`(updated_at, ${id}) < (${after.updatedAt}, ${after.externalUserId})`,
      );
    if (query.updatedSince) q = q.where('updated_at', '>=', query.updatedSince);
    if (query.identity === 'unseen') q = q.where('identity', 'is', null);
    else if (query.identity) q = q.where('identity', '=', query.identity);
    // A literal, so that the partial index of the source (migration 0004) applies.
    if (query.source) q = q.where(sql<boolean>`sources like ${sql.lit(`%${query.source}%`)}`);
    return q;
  };
  const newest = (after: ContactQuery['after'], limit: number) =>
    filtered(after).orderBy('updated_at', 'desc').orderBy(id, 'desc').limit(limit);

  const words = searchWords(query.text);
  if (words.length === 0) {
    const rows = await newest(query.after, query.limit).select(CONTACT_COLUMNS).execute();
    return rows.map(toContactRecord);
  }

  const matches = matcher(words);
  const keys = (after: ContactQuery['after']) =>
    newest(after, STEP).select(['external_user_id', 'updated_at', 'search']).execute();
  const hits: Key[] = [];
  let checked = await keys(query.after);
  for (const row of checked) if (matches(row.search)) hits.push(row);

  let after = lastOf(checked);
  if (hits.length < query.limit && after) {
    const texts = checked.map((row) => row.search);
    const tokens = rarestTokens(words, texts);
    if (tokens) {
      const candidates = await filtered(after)
        .select(['external_user_id', 'updated_at', 'search'])
        .where(
          pg
            ? sql<boolean>`search_vector @@ ${tsQuery(tokens)}::tsquery`
            : sql<boolean>`contacts.id in (select rowid from contacts_fts where contacts_fts match ${ftsQuery(tokens)})`,
        )
        .execute();
      hits.push(...candidates.filter((row) => matches(row.search)).sort(newestFirst));
    } else {
      while (hits.length < query.limit && after) {
        checked = await keys(after);
        for (const row of checked) if (matches(row.search)) hits.push(row);
        after = lastOf(checked);
      }
    }
  }
  return fullRecords(db, pg, projectId, hits.slice(0, query.limit));
}

function lastOf(rows: Key[]): ContactQuery['after'] {
  const last = rows.length === STEP ? rows.at(-1) : undefined;
  return last && { updatedAt: last.updated_at, externalUserId: last.external_user_id };
}

/** The tokens worth asking the index for, or null when checking row after row is cheaper. */
function rarestTokens(words: string[], texts: string[]): string[] | null {
  const tokens = [...new Set(words.flatMap(tokensOf))].map((token) => ({
    token,
    share: countWithToken(texts, token) / texts.length,
  }));
  if (tokens.length === 0) return null;
  tokens.sort((a, b) => a.share - b.share);
  if (tokens[0]!.share > INDEX_WORTHWHILE) return null;
  return tokens.filter((t, i) => i === 0 || t.share <= SELECTIVE).map((t) => t.token);
}

/** Newest change first, ids compared by code point like the databases' byte order. */
function newestFirst(a: Key, b: Key): number {
  if (a.updated_at !== b.updated_at) return a.updated_at < b.updated_at ? 1 : -1;
  return compareCodePoints(b.external_user_id, a.external_user_id);
}

function compareCodePoints(a: string, b: string): number {
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(j)!;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

async function fullRecords(
  db: Kysely<Database>,
  pg: boolean,
  projectId: string,
  keys: Key[],
): Promise<ContactRecord[]> {
  if (keys.length === 0) return [];
  const ids = keys.map((k) => k.external_user_id);
  const rows = await db
    .selectFrom('contacts')
    .select(CONTACT_COLUMNS)
    .where('project_id', '=', projectId)
    .where(idIn(pg, pg ? ids : JSON.stringify(ids)))
    .execute();
  const byId = new Map(rows.map((row) => [row.external_user_id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toContactRecord(row)] : [];
  });
}
