import { sql, type Kysely } from 'kysely';
import type { Message } from '../../protocol/index.js';
import { appendProgram, compileAppendStatements, type AppendStatements } from './append.js';
import { runProgramAsync } from './compiled.js';
import type {
  AppendedMessage,
  Audience,
  ConversationRecord,
  ConversationStore,
  InboxQuery,
  InboxRow,
  NewMessage,
} from './conversations-port.js';
import { GroupCommit, type GroupCommitConnection } from './group-commit.js';
import { selectInbox } from './inbox-query.js';
import { toConversation, toInboxRow, toMessage } from './rows.js';
import type { Database } from './schema.js';
import { isUniqueViolation } from './unique-violation.js';
import { insertDeliveries } from './outbox-rows.js';
import type { NewDelivery } from './webhooks-port.js';

export class KyselyConversationStore implements ConversationStore {
  private readonly statements: AppendStatements;
  private readonly groupCommit: GroupCommit | null;

  /**
   * With `groupCommit`, appends share transactions on that connection (SQLite: its one writer
   * makes that free of lock-order concerns, where PostgreSQL batches from several instances could
   * deadlock on each other's conversation rows).
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
    groupCommit: GroupCommitConnection | undefined,
  ) {
    this.statements = compileAppendStatements(db);
    this.groupCommit = groupCommit ? new GroupCommit(groupCommit, this.statements) : null;
  }

  async get(id: string): Promise<ConversationRecord | null> {
    const row = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toConversation(row) : null;
  }

  async openOf(visitorId: string): Promise<ConversationRecord | null> {
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

  async setStatus(
    id: string,
    status: 'open' | 'closed',
    at: string,
    outbox?: (changed: ConversationRecord) => NewDelivery[],
  ): Promise<ConversationRecord | null> {
    const change = async (db: Kysely<Database>) => {
      const row = await db
        .updateTable('conversations')
        .set({ status, closed_at: status === 'closed' ? at : null, last_activity_at: at })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      const changed = row ? toConversation(row) : null;
      if (changed && outbox) await insertDeliveries(db, outbox(changed));
      return changed;
    };
    try {
      return await (outbox ? this.db.transaction().execute(change) : change(this.db));
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
    // Notes for agents are nobody's unread: the visitor never gets them, agents wrote them.
    const counted = sql`${others} and m.visibility = 'all'`;
    // Clamp to last_seq so a client cannot mark messages that do not exist yet as read.
    const [greatest, least] = this.dialect === 'postgres' ? ['greatest', 'least'] : ['max', 'min'];
    const moved = sql<number>`${sql.raw(greatest)}(${sql.ref(marker)}, ${sql.raw(least)}(${seq}, last_seq))`;
    const row = await this.db
      .updateTable('conversations')
      .set({
        [marker]: moved,
        // Usually nothing is left to count: readers read to the end.
        [counter]: sql<number>`(select count(*) from messages m where m.conversation_id = conversations.id and ${counted} and m.seq > ${moved})`,
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

  append(m: NewMessage): Promise<AppendedMessage> {
    if (this.groupCommit) return this.groupCommit.append(m);
    const attempt = () =>
      this.db
        .transaction()
        .execute((trx) => runProgramAsync(appendProgram(this.statements, m), trx));
    // A unique violation lost a race with a concurrent writer (the same client id, or the
    // visitor's first conversation): run once more, the append finds what that writer stored.
    return attempt().catch((error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
      return attempt();
    });
  }

  async messageBySender(senderKey: string, clientMessageId: string): Promise<Message | null> {
    const row = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('sender_key', '=', senderKey)
      .where('client_message_id', '=', clientMessageId)
      .executeTakeFirst();
    return row ? toMessage(row) : null;
  }

  async messagesAfter(
    conversationId: string,
    afterSeq: number,
    limit: number,
    audience: Audience = 'visitor',
  ): Promise<Message[]> {
    let query = this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('seq', '>', afterSeq);
    if (audience === 'visitor') query = query.where('visibility', '=', 'all');
    const rows = await query.orderBy('seq', 'asc').limit(limit).execute();
    return rows.map(toMessage);
  }

  async messagesBefore(
    conversationId: string,
    beforeSeq: number | undefined,
    limit: number,
    audience: Audience = 'visitor',
  ): Promise<{ items: Message[]; hasMore: boolean }> {
    let query = this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('seq', 'desc')
      .limit(limit + 1);
    if (beforeSeq !== undefined) query = query.where('seq', '<', beforeSeq);
    if (audience === 'visitor') query = query.where('visibility', '=', 'all');
    const rows = await query.execute();
    const hasMore = rows.length > limit;
    return { items: rows.slice(0, limit).reverse().map(toMessage), hasMore };
  }

  /** Writes the appends still queued for a group commit. */
  async drain(): Promise<void> {
    await this.groupCommit?.drain();
  }
}
