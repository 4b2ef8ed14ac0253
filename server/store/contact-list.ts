import { sql, type Kysely } from 'kysely';
import { CONTACT_COLUMNS, toContactRecord, type ContactRow } from './contact-rows.js';
import {
  countWithToken,
  ftsQuery,
  matcher,
  searchWords,
  tokensOf,
  tsQuery,
} from './contact-search.js';
import { idIn, idListValue } from './id-list.js';
import type { ContactQuery, ContactRecord } from './contacts-port.js';
import type { Database } from './schema.js';

/** Rows a text search checks newest first before anything else: a common word fills a page. */
const FIRST_STEP = 250;
/** Rows it goes on checking, at most, while the matches so far promise a full page from them. */
const MAX_SCAN = 2000;
/** Rows per step when the index cannot help (a query of punctuation only). */
const STEP = 1000;
/**
 * A token in more of the checked rows than this is left out of the index query: an FTS5 prefix
 * query reads every row of its token, so a common one costs more than it narrows.
 */
const SELECTIVE = 0.02;

interface Key {
  external_user_id: string;
  updated_at: string;
  search: string;
}

/**
 * A page of contacts, newest change first. Without text, one query on the list index. With
 * text, the newest rows are checked first, in growing steps while the matches so far promise a
 * full page (a common word fills it from them); then the search index: on SQLite the FTS5 rows of
 * the query's rarest tokens, checked here (a prefix query on a common token reads all its rows);
 * on PostgreSQL the GIN index with the whole query in SQL, ordered and limited there. What
 * matches is defined once (contact-search.ts): both dialects answer alike.
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
  const filtered = (after: ContactQuery['after'], byRowid = false) => {
    let q = db
      .selectFrom('contacts')
      // `+`: no index on the project (all of them start with it), so SQLite looks the rows up by
      // the FTS5 rowids instead of checking every row of the project against them.
      .where(
        byRowid
          ? sql<boolean>`+project_id = ${projectId}`
          : sql<boolean>`project_id = ${projectId}`,
      );
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
  const newest = (after: ContactQuery['after'] | undefined, limit: number) =>
    filtered(after).orderBy('updated_at', 'desc').orderBy(id, 'desc').limit(limit);

  const words = searchWords(query.text);
  if (words.length === 0) {
    const rows = await newest(query.after, query.limit).select(CONTACT_COLUMNS).execute();
    return rows.map(toContactRecord);
  }

  // PostgreSQL reads whole rows while it checks them: no second round trip for the page. SQLite
  // reads the search text from the list index alone, then the page's rows.
  const scanned = pg ? CONTACT_COLUMNS : (['external_user_id', 'updated_at', 'search'] as const);
  const matches = matcher(words);
  const hits: Key[] = [];
  const texts: string[] = [];
  let after = query.after;
  let step = FIRST_STEP;
  while (hits.length < query.limit) {
    const checked = await newest(after, step).select(scanned).execute();
    for (const row of checked) {
      texts.push(row.search);
      if (matches(row.search)) hits.push(row);
    }
    const last = checked.length === step ? checked.at(-1) : undefined;
    if (!last) break;
    after = { updatedAt: last.updated_at, externalUserId: last.external_user_id };
    // Rows still to check for a full page at the rate matches came so far.
    const needed = hits.length
      ? ((query.limit - hits.length) * texts.length) / hits.length
      : Infinity;
    if (needed <= MAX_SCAN && texts.length < 2 * MAX_SCAN) {
      step = Math.max(FIRST_STEP, Math.ceil(needed * 1.5));
      continue;
    }
    const tokens = rarestTokens(words, texts);
    if (!tokens) {
      step = STEP;
      continue;
    }
    if (pg) {
      // The index answers the rest of the query in SQL, in order. GIN collects every row of a
      // prefix, so only the rare tokens go to it; the common ones are checked on its rows
      // (the function, unlike the operator, is not matched to the index).
      let exact = filtered(after).where(sql<boolean>`search_vector @@ ${tsQuery(tokens)}::tsquery`);
      for (const token of new Set(words.flatMap(tokensOf))) {
        if (tokens.includes(token)) continue;
        exact = exact.where(sql<boolean>`ts_match_vq(search_vector, ${tsQuery([token])}::tsquery)`);
      }
      for (const word of words) exact = exact.where(sql<boolean>`strpos(search, ${word}) > 0`);
      const rows = await exact
        .select(scanned)
        .orderBy('updated_at', 'desc')
        .orderBy(id, 'desc')
        .limit(query.limit - hits.length)
        .execute();
      hits.push(...rows.filter((row) => matches(row.search)));
    } else {
      const candidates = await filtered(after, true)
        .select(['external_user_id', 'updated_at', 'search'])
        .where(
          sql<boolean>`contacts.id in (select rowid from contacts_fts where contacts_fts match ${ftsQuery(tokens)})`,
        )
        .execute();
      hits.push(...candidates.filter((row) => matches(row.search)).sort(newestFirst));
    }
    break;
  }
  const page = hits.slice(0, query.limit);
  return pg ? (page as ContactRow[]).map(toContactRecord) : fullRecords(db, projectId, page);
}

/** The tokens worth asking the index for: the rarest in the rows checked, and any as rare. */
function rarestTokens(words: string[], texts: string[]): string[] | null {
  const tokens = [...new Set(words.flatMap(tokensOf))].map((token) => ({
    token,
    share: countWithToken(texts, token) / texts.length,
  }));
  if (tokens.length === 0) return null;
  tokens.sort((a, b) => a.share - b.share);
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
  projectId: string,
  keys: Key[],
): Promise<ContactRecord[]> {
  if (keys.length === 0) return [];
  const ids = keys.map((k) => k.external_user_id);
  const rows = await db
    .selectFrom('contacts')
    .select(CONTACT_COLUMNS)
    .where('project_id', '=', projectId)
    .where(idIn(false, idListValue(false, ids)))
    .execute();
  const byId = new Map(rows.map((row) => [row.external_user_id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toContactRecord(row)] : [];
  });
}
