import { sql, type Transaction } from 'kysely';
import { auditRow } from './contact-rows.js';
import type { AuditEntry, ErasedContact } from './contacts-port.js';
import type { Database } from './schema.js';

/** The destructive parts of the contact store; each runs inside the caller's transaction. */

/**
 * Erases a person: see ContactStore.erase. A visitor's token hash becomes a value no token hashes
 * to (hashes hold no colon), unique per visitor, so the column keeps its unique constraint.
 */
export async function eraseContact(
  trx: Transaction<Database>,
  dialect: 'sqlite' | 'postgres',
  projectId: string,
  externalUserId: string,
  options: { messages: boolean; audit: AuditEntry },
): Promise<ErasedContact | null> {
  const deleted = await trx
    .deleteFrom('contacts')
    .where('project_id', '=', projectId)
    .where('external_user_id', '=', externalUserId)
    .executeTakeFirst();
  const visitors = trx
    .selectFrom('visitors')
    .select('id')
    .where('project_id', '=', projectId)
    .where('external_user_id', '=', externalUserId);
  const conversations = trx
    .selectFrom('conversations')
    .select('id')
    .where('visitor_id', 'in', visitors);
  const conversationIds = (await conversations.orderBy('id').execute()).map((row) => row.id);
  const hasVisitors = (await visitors.limit(1).executeTakeFirst()) !== undefined;
  if (Number(deleted.numDeletedRows) === 0 && !hasVisitors) return null;

  await trx
    .deleteFrom('integration_log')
    .where('project_id', '=', projectId)
    .where('external_user_id', '=', externalUserId)
    .execute();
  // What agents typed into cards about the person, and what the site answered about them.
  for (const table of ['card_calls', 'card_actions'] as const) {
    await trx
      .deleteFrom(table)
      .where('project_id', '=', projectId)
      .where('external_user_id', '=', externalUserId)
      .execute();
  }
  if (hasVisitors) {
    if (options.messages && conversationIds.length > 0) {
      await trx.deleteFrom('messages').where('conversation_id', 'in', conversations).execute();
      await trx
        .updateTable('conversations')
        .set({ last_message_body: null })
        .where('id', 'in', conversations)
        .execute();
    }
    await trx.deleteFrom('visitor_tokens').where('visitor_id', 'in', visitors).execute();
    const random =
      dialect === 'postgres' ? sql`md5(random()::text)` : sql`lower(hex(randomblob(16)))`;
    await trx
      .updateTable('visitors')
      .set({
        external_user_id: null,
        identity: 'anonymous',
        page_url: null,
        referrer: null,
        user_agent: null,
        locale: null,
        erased_at: options.audit.at,
        token_hash: sql<string>`'erased:' || id || ':' || ${random}`,
      })
      .where('project_id', '=', projectId)
      .where('external_user_id', '=', externalUserId)
      .execute();
  }
  await trx.insertInto('audit_log').values(auditRow(options.audit, null)).execute();
  return { conversationIds };
}

/**
 * The rest of a merge once the primary holds the combined record: the secondary's visitors (and
 * so their conversations) take the primary's id, the secondary goes, the audit entry stays.
 * Answers the moved conversations.
 */
export async function mergeContacts(
  trx: Transaction<Database>,
  projectId: string,
  primary: string,
  secondary: string,
  audit: AuditEntry,
): Promise<string[]> {
  const moved = await trx
    .selectFrom('conversations')
    .innerJoin('visitors', 'visitors.id', 'conversations.visitor_id')
    .select('conversations.id')
    .where('visitors.project_id', '=', projectId)
    .where('visitors.external_user_id', '=', secondary)
    .orderBy('conversations.id')
    .execute();
  await trx
    .updateTable('visitors')
    .set({ external_user_id: primary })
    .where('project_id', '=', projectId)
    .where('external_user_id', '=', secondary)
    .execute();
  await trx
    .deleteFrom('contacts')
    .where('project_id', '=', projectId)
    .where('external_user_id', '=', secondary)
    .execute();
  await trx.insertInto('audit_log').values(auditRow(audit, secondary)).execute();
  return moved.map((row) => row.id);
}
