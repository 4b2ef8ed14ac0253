import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Conversations joined with what the inbox shows about their visitor (see rows.ts, toInboxRow). */
export function selectInbox(db: Kysely<Database>) {
  return db
    .selectFrom('conversations as c')
    .innerJoin('visitors as v', 'v.id', 'c.visitor_id')
    .leftJoin('contacts as k', (join) =>
      join
        .onRef('k.project_id', '=', 'c.project_id')
        .onRef('k.external_user_id', '=', 'v.external_user_id'),
    )
    .selectAll('c')
    .select([
      'v.external_user_id as v_external_user_id',
      'v.identity as v_identity',
      'v.erased_at as v_erased_at',
      'k.name as k_name',
    ]);
}
