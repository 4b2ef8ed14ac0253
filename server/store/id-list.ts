import { sql, type RawBuilder } from 'kysely';

/**
 * A list of external ids as one statement parameter, so that one compiled statement serves every
 * list length: an array on PostgreSQL, JSON text read by `json_each` on SQLite.
 */
export function idListValue(pg: boolean, ids: readonly string[]): unknown {
  return pg ? ids : JSON.stringify(ids);
}

/** `external_user_id` is one of the ids in `ids` (a parameter made by idListValue). */
export function idIn(pg: boolean, ids: unknown): RawBuilder<boolean> {
  return pg
    ? sql<boolean>`external_user_id = any(${ids}::text[])`
    : sql<boolean>`external_user_id in (select value from json_each(${ids}))`;
}
