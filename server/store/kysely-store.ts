import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Message } from '../../protocol/index.js';
import { appendProgram, compileAppendStatements, type AppendStatements } from './append.js';
import { runProgramAsync } from './compiled.js';
import { GroupCommit, type GroupCommitConnection } from './group-commit.js';
import { selectInbox } from './inbox-query.js';
import type {
  AgentRecord,
  AppendedMessage,
  AgentSessionRecord,
  ConversationRecord,
  InboxQuery,
  InboxRow,
  NewMessage,
  ProjectRecord,
  Store,
  VisitorRecord,
} from './port.js';
import { toConversation, toInboxRow, toMessage, toVisitor } from './rows.js';
import type { Database, VisitorsTable } from './schema.js';
import { isUniqueViolation } from './unique-violation.js';
import { KyselyIdentityStore } from './identity-store.js';

/**
 * The Store over Kysely. The SQL is portable between SQLite and PostgreSQL; the adapters differ
 * only in how they connect (see sqlite.ts, postgres.ts).
 */
export class KyselyStore implements Store {
  readonly identity: KyselyIdentityStore;
  private readonly append: AppendStatements;
  private readonly groupCommit: GroupCommit | null;
  /** Adapter-specific work to stop before the connections close. */
  private readonly beforeClose: (() => Promise<void>) | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: 'sqlite' | 'postgres',
    options: {
      beforeClose?: () => Promise<void>;
      /**
       * Appends share transactions on this connection (SQLite: its one writer makes that free of
       * lock-order concerns, where PostgreSQL batches from several instances could deadlock on
       * each other's conversation rows).
       */
      groupCommit?: GroupCommitConnection;
    } = {},
  ) {
    this.identity = new KyselyIdentityStore(db);
    this.append = compileAppendStatements(db);
    this.groupCommit = options.groupCommit
      ? new GroupCommit(options.groupCommit, this.append)
      : null;
    this.beforeClose = options.beforeClose;
  }

  async createProject(p: ProjectRecord): Promise<void> {
    await this.db.insertInto('projects').values(projectRow(p)).execute();
  }

  async createProjectIfAbsent(p: ProjectRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('projects')
      .values(projectRow(p))
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async updateProject(
    id: string,
    patch: Partial<Pick<ProjectRecord, 'name' | 'allowedOrigins' | 'widget'>>,
  ): Promise<ProjectRecord | null> {
    const values: { name?: string; allowed_origins?: string; widget?: string } = {};
    if (patch.name !== undefined) values.name = patch.name;
    if (patch.allowedOrigins !== undefined)
      values.allowed_origins = JSON.stringify(patch.allowedOrigins);
    if (patch.widget !== undefined) values.widget = JSON.stringify(patch.widget);
    if (Object.keys(values).length > 0) {
      await this.db.updateTable('projects').set(values).where('id', '=', id).execute();
    }
    return this.getProject(id);
  }

  async getProject(id: string): Promise<ProjectRecord | null> {
    const row = await this.db
      .selectFrom('projects')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.toProject(row) : null;
  }

  async listProjects(ids?: string[]): Promise<ProjectRecord[]> {
    if (ids && ids.length === 0) return [];
    let query = this.db.selectFrom('projects').selectAll().orderBy('created_at').orderBy('id');
    if (ids) query = query.where('id', 'in', ids);
    return (await query.execute()).map((row) => this.toProject(row));
  }

  private toProject(row: Selectable<Database['projects']>): ProjectRecord {
    return {
      id: row.id,
      name: row.name,
      allowedOrigins: JSON.parse(row.allowed_origins) as string[],
      widget: JSON.parse(row.widget) as ProjectRecord['widget'],
      createdAt: row.created_at,
    };
  }

  async createAgent(a: AgentRecord): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('agents').values(agentRow(a)).execute();
      await this.addMemberships(trx, a);
    });
  }

  async createAgentIfAbsent(a: AgentRecord): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .insertInto('agents')
        .values(agentRow(a))
        .onConflict((oc) => oc.column('email').doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      await this.addMemberships(trx, a);
      return true;
    });
  }

  async createFirstAgent(a: AgentRecord): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      // Whoever looks at the table first must also be the one to write it. PostgreSQL: other
      // writers to agents wait until this commits (the lock conflicts with itself, not with
      // readers). SQLite: the transaction already holds the database's write lock (sqlite.ts).
      if (this.dialect === 'postgres') {
        await sql`lock table agents in share row exclusive mode`.execute(trx);
      }
      const any = await trx.selectFrom('agents').select('id').limit(1).executeTakeFirst();
      if (any) return false;
      await trx.insertInto('agents').values(agentRow(a)).execute();
      await this.addMemberships(trx, a);
      return true;
    });
  }

  private async addMemberships(trx: Transaction<Database>, a: AgentRecord): Promise<void> {
    if (a.projectIds.length === 0) return;
    await trx
      .insertInto('agent_projects')
      .values(a.projectIds.map((projectId) => ({ agent_id: a.id, project_id: projectId })))
      .execute();
  }

  async updateAgent(
    id: string,
    patch: Partial<Pick<AgentRecord, 'name' | 'role' | 'active' | 'passwordHash' | 'projectIds'>>,
  ): Promise<AgentRecord | null> {
    await this.db.transaction().execute(async (trx) => {
      const values: {
        name?: string;
        role?: AgentRecord['role'];
        active?: number;
        password_hash?: string;
      } = {};
      if (patch.name !== undefined) values.name = patch.name;
      if (patch.role !== undefined) values.role = patch.role;
      if (patch.active !== undefined) values.active = patch.active ? 1 : 0;
      if (patch.passwordHash !== undefined) values.password_hash = patch.passwordHash;
      if (Object.keys(values).length > 0) {
        await trx.updateTable('agents').set(values).where('id', '=', id).execute();
      }
      if (patch.projectIds !== undefined) {
        await trx.deleteFrom('agent_projects').where('agent_id', '=', id).execute();
        if (patch.projectIds.length > 0) {
          await trx
            .insertInto('agent_projects')
            .values(patch.projectIds.map((projectId) => ({ agent_id: id, project_id: projectId })))
            .execute();
        }
      }
    });
    return this.getAgent(id);
  }

  async getAgent(id: string): Promise<AgentRecord | null> {
    const row = await this.db
      .selectFrom('agents')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.toAgent(row) : null;
  }

  async getAgentByEmail(email: string): Promise<AgentRecord | null> {
    const row = await this.db
      .selectFrom('agents')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
    return row ? this.toAgent(row) : null;
  }

  async listAgents(): Promise<AgentRecord[]> {
    const rows = await this.db.selectFrom('agents').selectAll().orderBy('created_at').execute();
    return Promise.all(rows.map((row) => this.toAgent(row)));
  }

  async countAgents(): Promise<number> {
    const row = await this.db
      .selectFrom('agents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async listProjectAgentIds(projectId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('agent_projects')
      .innerJoin('agents', 'agents.id', 'agent_projects.agent_id')
      .select('agents.id')
      .where('agent_projects.project_id', '=', projectId)
      .where('agents.active', '=', 1)
      .execute();
    return rows.map((r) => r.id);
  }

  private async toAgent(row: Selectable<Database['agents']>): Promise<AgentRecord> {
    const memberships = await this.db
      .selectFrom('agent_projects')
      .select('project_id')
      .where('agent_id', '=', row.id)
      .orderBy('project_id')
      .execute();
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      active: Number(row.active) === 1,
      passwordHash: row.password_hash,
      projectIds: memberships.map((m) => m.project_id),
      createdAt: row.created_at,
    };
  }

  async createAgentSession(s: AgentSessionRecord): Promise<void> {
    await this.db
      .insertInto('agent_sessions')
      .values({
        id_hash: s.idHash,
        agent_id: s.agentId,
        csrf_token: s.csrfToken,
        created_at: s.createdAt,
        expires_at: s.expiresAt,
      })
      .execute();
  }

  async getAgentSession(idHash: string): Promise<AgentSessionRecord | null> {
    const row = await this.db
      .selectFrom('agent_sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    return row
      ? {
          idHash: row.id_hash,
          agentId: row.agent_id,
          csrfToken: row.csrf_token,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
        }
      : null;
  }

  async deleteAgentSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('agent_sessions').where('id_hash', '=', idHash).execute();
  }

  async deleteAgentSessions(agentId: string): Promise<void> {
    await this.db.deleteFrom('agent_sessions').where('agent_id', '=', agentId).execute();
  }

  async createVisitor(v: VisitorRecord & { tokenHash: string }): Promise<void> {
    await this.db
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
      })
      .execute();
  }

  async getVisitor(id: string): Promise<VisitorRecord | null> {
    const row = await this.db
      .selectFrom('visitors')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toVisitor(row) : null;
  }

  async getVisitorByTokenHash(tokenHash: string): Promise<VisitorRecord | null> {
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

  async updateVisitor(id: string, patch: Parameters<Store['updateVisitor']>[1]): Promise<void> {
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

  async getConversation(id: string): Promise<ConversationRecord | null> {
    const row = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toConversation(row) : null;
  }

  async getOpenConversation(visitorId: string): Promise<ConversationRecord | null> {
    const row = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('visitor_id', '=', visitorId)
      // A literal, not a parameter: SQLite can then match the partial index on open conversations
      // when it plans the statement once; with a bound value it re-plans on every execution.
      .where('status', '=', sql.lit('open'))
      .executeTakeFirst();
    return row ? toConversation(row) : null;
  }

  async setConversationStatus(
    id: string,
    status: 'open' | 'closed',
    at: string,
  ): Promise<ConversationRecord | null> {
    try {
      const row = await this.db
        .updateTable('conversations')
        .set({ status, closed_at: status === 'closed' ? at : null, last_activity_at: at })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row ? toConversation(row) : null;
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  async markRead(
    id: string,
    side: 'visitor' | 'agents',
    seq: number,
  ): Promise<ConversationRecord | null> {
    const [marker, counter, others] =
      side === 'visitor'
        ? (['visitor_read_seq', 'unread_for_visitor', sql`m.author_kind <> 'visitor'`] as const)
        : (['agent_read_seq', 'unread_for_agents', sql`m.author_kind = 'visitor'`] as const);
    // Clamp to last_seq so a client cannot mark messages that do not exist yet as read.
    const [greatest, least] = this.dialect === 'postgres' ? ['greatest', 'least'] : ['max', 'min'];
    const moved = sql<number>`${sql.raw(greatest)}(${sql.ref(marker)}, ${sql.raw(least)}(${seq}, last_seq))`;
    const row = await this.db
      .updateTable('conversations')
      .set({
        [marker]: moved,
        // Usually nothing is left to count: readers read to the end.
        [counter]: sql<number>`(select count(*) from messages m where m.conversation_id = conversations.id and ${others} and m.seq > ${moved})`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ? toConversation(row) : null;
  }

  async inbox(q: InboxQuery): Promise<InboxRow[]> {
    if (q.projectIds.length === 0) return [];
    let query = selectInbox(this.db)
      .where('c.project_id', 'in', q.projectIds)
      .where('c.status', '=', q.status)
      .orderBy('c.last_activity_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(q.limit);
    const after = q.after;
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('c.last_activity_at', '<', after.lastActivityAt),
          eb.and([eb('c.last_activity_at', '=', after.lastActivityAt), eb('c.id', '<', after.id)]),
        ]),
      );
    }
    return (await query.execute()).map(toInboxRow);
  }

  async inboxRow(conversationId: string): Promise<InboxRow | null> {
    const row = await selectInbox(this.db).where('c.id', '=', conversationId).executeTakeFirst();
    return row ? toInboxRow(row) : null;
  }

  appendMessage(m: NewMessage): Promise<AppendedMessage> {
    if (this.groupCommit) return this.groupCommit.append(m);
    const attempt = () =>
      this.db.transaction().execute((trx) => runProgramAsync(appendProgram(this.append, m), trx));
    // A unique violation lost a race with a concurrent writer (the same client id, or the
    // visitor's first conversation): run once more, the append finds what that writer stored.
    return attempt().catch((error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
      return attempt();
    });
  }

  async findMessageBySender(senderKey: string, clientMessageId: string): Promise<Message | null> {
    const row = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('sender_key', '=', senderKey)
      .where('client_message_id', '=', clientMessageId)
      .executeTakeFirst();
    return row ? toMessage(row) : null;
  }

  async messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<Message[]> {
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('seq', '>', afterSeq)
      .orderBy('seq', 'asc')
      .limit(limit)
      .execute();
    return rows.map(toMessage);
  }

  async messagesBefore(
    conversationId: string,
    beforeSeq: number | undefined,
    limit: number,
  ): Promise<{ items: Message[]; hasMore: boolean }> {
    let query = this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('seq', 'desc')
      .limit(limit + 1);
    if (beforeSeq !== undefined) query = query.where('seq', '<', beforeSeq);
    const rows = await query.execute();
    const hasMore = rows.length > limit;
    return { items: rows.slice(0, limit).reverse().map(toMessage), hasMore };
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.groupCommit?.drain();
    await this.beforeClose?.();
    await this.db.destroy();
  }
}

function projectRow(p: ProjectRecord) {
  return {
    id: p.id,
    name: p.name,
    allowed_origins: JSON.stringify(p.allowedOrigins),
    widget: JSON.stringify(p.widget),
    created_at: p.createdAt,
  };
}

function agentRow(a: AgentRecord) {
  return {
    id: a.id,
    email: a.email.toLowerCase(),
    name: a.name,
    password_hash: a.passwordHash,
    role: a.role,
    active: a.active ? 1 : 0,
    created_at: a.createdAt,
  };
}
