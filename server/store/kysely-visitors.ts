import { sql, type Kysely, type Selectable } from 'kysely';
import { compileOnce, param, runStatementRows } from './compiled.js';
import { idIn, idListValue } from './id-list.js';
import { toVisitor } from './rows.js';
import type { Database, VisitorsTable } from './schema.js';
import { insertUnique } from './unique-violation.js';
import type { ContactVisitor, VisitorPatch, VisitorRecord, VisitorStore } from './visitors-port.js';

export class KyselyVisitorStore implements VisitorStore {
  /** A bulk push asks for the visitors of its hundred contacts: the query is built once. */
  private readonly ofContactsStatement;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {
    this.ofContactsStatement = compileOnce(
      db
        .selectFrom('visitors')
        .leftJoin('conversations', 'conversations.visitor_id', 'visitors.id')
        .select([
          'visitors.id as visitorId',
          'visitors.external_user_id as externalUserId',
          'visitors.identity as identity',
          'conversations.id as conversationId',
        ])
        .where('visitors.project_id', '=', param<string>('projectId'))
        .where(idIn(dialect === 'postgres', param('ids'))),
    );
  }

  async create(v: VisitorRecord & { tokenHash: string }): Promise<void> {
    await insertUnique('visitor', 'id', () =>
      this.db
        .insertInto('visitors')
        .values({
          id: v.id,
          project_id: v.projectId,
          token_hash: v.tokenHash,
          external_user_id: v.externalUserId,
          identity: v.identity,
          first_seen_at: v.firstSeenAt,
          last_seen_at: v.lastSeenAt,
          page_url: v.pageUrl,
          referrer: v.referrer,
          user_agent: v.userAgent,
          locale: v.locale,
          erased_at: v.erasedAt,
        })
        .execute(),
    );
  }

  async get(id: string): Promise<VisitorRecord | null> {
    const row = await this.db
      .selectFrom('visitors')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toVisitor(row) : null;
  }

  async byTokenHash(tokenHash: string): Promise<VisitorRecord | null> {
    const row =
      (await this.db
        .selectFrom('visitors')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst()) ??
      (await this.db
        .selectFrom('visitor_tokens')
        .innerJoin('visitors', 'visitors.id', 'visitor_tokens.visitor_id')
        .selectAll('visitors')
        .where('visitor_tokens.token_hash', '=', tokenHash)
        .executeTakeFirst());
    return row ? toVisitor(row) : null;
  }

  async update(id: string, patch: VisitorPatch): Promise<void> {
    const values: Partial<Selectable<VisitorsTable>> = {};
    if (patch.lastSeenAt !== undefined) values.last_seen_at = patch.lastSeenAt;
    if (patch.pageUrl !== undefined) values.page_url = patch.pageUrl;
    if (patch.referrer !== undefined) values.referrer = patch.referrer;
    if (patch.userAgent !== undefined) values.user_agent = patch.userAgent;
    if (patch.locale !== undefined) values.locale = patch.locale;
    if (patch.externalUserId !== undefined) values.external_user_id = patch.externalUserId;
    if (patch.identity !== undefined) values.identity = patch.identity;
    if (Object.keys(values).length === 0) return;
    await this.db.updateTable('visitors').set(values).where('id', '=', id).execute();
  }

  async addToken(visitorId: string, tokenHash: string, createdAt: string): Promise<void> {
    await insertUnique('visitor token', 'hash', () =>
      this.db
        .insertInto('visitor_tokens')
        .values({ token_hash: tokenHash, visitor_id: visitorId, created_at: createdAt })
        .execute(),
    );
  }

  async firstVerified(projectId: string, externalUserId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('visitors')
      .select('id')
      .where('project_id', '=', projectId)
      .where('external_user_id', '=', externalUserId)
      .where('identity', '=', 'verified')
      .orderBy('first_seen_at')
      .orderBy(sql.ref('id'))
      .limit(1)
      .executeTakeFirst();
    return row?.id ?? null;
  }

  async ofContact(projectId: string, externalUserId: string): Promise<ContactVisitor[]> {
    return (await this.ofContacts(projectId, [externalUserId])).get(externalUserId) ?? [];
  }

  async ofContacts(
    projectId: string,
    externalUserIds: readonly string[],
  ): Promise<Map<string, ContactVisitor[]>> {
    const found = new Map<string, ContactVisitor[]>();
    if (externalUserIds.length === 0) return found;
    const rows = await runStatementRows(this.db, this.ofContactsStatement, {
      projectId,
      ids: idListValue(this.dialect === 'postgres', externalUserIds),
    });
    const byVisitor = new Map<string, ContactVisitor>();
    for (const row of rows) {
      let visitor = byVisitor.get(row.visitorId);
      if (!visitor) {
        visitor = { visitorId: row.visitorId, identity: row.identity, conversationIds: [] };
        byVisitor.set(row.visitorId, visitor);
        const list = found.get(row.externalUserId!) ?? [];
        list.push(visitor);
        found.set(row.externalUserId!, list);
      }
      if (row.conversationId) visitor.conversationIds.push(row.conversationId);
    }
    return found;
  }
}
