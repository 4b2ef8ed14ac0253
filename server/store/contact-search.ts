import type { Profile } from '../../protocol/index.js';

/**
 * What a contact search matches, defined once here so that SQLite and PostgreSQL answer alike.
 *
 * A contact's searchable values (external id, names, email, phone, property values) are folded
 * into one text: compatibility forms decomposed, lower case, accents dropped, characters that are
 * neither printable ASCII nor letters or digits turned into spaces. A query word matches when,
 * folded the same way, it occurs in that text and each of its tokens starts a token of the text.
 * Tokens are the runs between ASCII punctuation and spaces: exactly what SQLite's FTS5 `ascii`
 * tokenizer and the `search_vector` expression of PostgreSQL (migration 0004) index, so both
 * indexes find a superset of the matches, and this module decides.
 *
 * So `jan` finds Jane, `example.com` finds jane@example.com, `zurich` finds Zürich, and `%` or
 * `_` match only themselves.
 */

/** Each value is cut to this many characters before it is searched (and a token with it). */
const VALUE_CHARS = 200;
/** A contact's whole searchable text is at most about this long. */
const SEARCH_CHARS = 4000;
/** Words of a query after which the rest is ignored. */
const MAX_WORDS = 10;

/** Everything but ASCII letters and digits and non-ASCII characters: what FTS5's `ascii` splits on. */
const SEPARATORS = /[^0-9A-Za-z\u{80}-\u{10FFFF}]+/u;
/** The same separators as a PostgreSQL regular expression (the text never holds NUL). */
export const POSTGRES_SEPARATORS = '[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]+';

/** Printable ASCII only: folding is lower-casing (most values; the Unicode steps cost more). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function fold(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\p{M}+/gu, '')
    .replace(/[^\x20-\x7e\p{L}\p{N}]+/gu, ' ');
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1]!) ? max - 1 : max;
  return text.slice(0, end);
}

function leaves(value: unknown, out: string[]): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'object') {
    for (const item of Array.isArray(value) ? value : Object.values(value)) leaves(item, out);
    return;
  }
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
}

/** The folded text a contact's search looks in. */
export function searchText(externalUserId: string, profile: Profile | null): string {
  const values = [externalUserId];
  if (profile) {
    const { name, firstName, lastName, email, phone } = profile;
    for (const v of [name, firstName, lastName, email, phone]) if (v) values.push(v);
    leaves(profile.metadata, values);
  }
  let text = '';
  for (const value of values) {
    const folded = cut(fold(cut(value, VALUE_CHARS)), VALUE_CHARS).trim();
    if (!folded) continue;
    if (text.length + folded.length > SEARCH_CHARS) break;
    text = text ? `${text}\n${folded}` : folded;
  }
  return text;
}

export function tokensOf(text: string): string[] {
  return text.split(SEPARATORS).filter((t) => t !== '');
}

/** The folded words of a query, each once; none for a blank one. */
export function searchWords(query: string | undefined): string[] {
  if (!query) return [];
  const words = fold(query)
    .split(' ')
    .filter((w) => w !== '');
  return [...new Set(words)].slice(0, MAX_WORDS);
}

/** Whether a contact's search text matches every word. */
export function matcher(words: readonly string[]): (search: string) => boolean {
  const parts = words.map((word) => ({ word, tokens: tokensOf(word) }));
  return (search) => {
    let tokens: string[] | undefined;
    return parts.every(
      (p) =>
        search.includes(p.word) &&
        p.tokens.every((t) => (tokens ??= tokensOf(search)).some((s) => s.startsWith(t))),
    );
  };
}

/** How many of the texts have a token starting with `token`. */
export function countWithToken(texts: readonly string[], token: string): number {
  let n = 0;
  for (const text of texts) if (tokensOf(text).some((s) => s.startsWith(token))) n++;
  return n;
}

/** FTS5 query: every token as a prefix (tokens hold no quotes: those are separators). */
export function ftsQuery(tokens: readonly string[]): string {
  return tokens.map((t) => `"${t}"*`).join(' AND ');
}

/** PostgreSQL tsquery text, for a `::tsquery` cast: every token as a prefix. */
export function tsQuery(tokens: readonly string[]): string {
  return tokens.map((t) => `'${t}':*`).join(' & ');
}
