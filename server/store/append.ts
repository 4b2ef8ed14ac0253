import { sql, type Kysely } from 'kysely';
import type { AuthorKind, Message } from '../../protocol/index.js';
import { newTimeOrderedId } from '../ids.js';
import { compileOnce, param, query, type StatementProgram } from './compiled.js';
import { selectInbox } from './inbox-query.js';
import type { AppendedMessage, NewMessage } from './conversations-port.js';
import { deliveryRow } from './outbox-rows.js';
import { toInboxRow, toMessage } from './rows.js';
import type { Database } from './schema.js';

/** Inbox previews keep the first line-ish of a message, enough for one line in a list. */
const PREVIEW_LENGTH = 200;

/** The statements of a message append, compiled once per store in its dialect. */
export type AppendStatements = ReturnType<typeof compileAppendStatements>;

export function compileAppendStatements(db: Kysely<Database>) {
  const authorKind = param<AuthorKind>('authorKind');
  return {
    findBySender: compileOnce(
      db
        .selectFrom('messages')
        .selectAll()
        .where('sender_key', '=', param<string>('senderKey'))
        .where('client_message_id', '=', param<string>('clientMessageId')),
    ),
    openConversationOf: compileOnce(
      db
        .selectFrom('conversations')
        .select('id')
        .where('visitor_id', '=', param<string>('visitorId'))
        // A literal, so that SQLite's plan can use the partial index on open conversations.
        .where('status', '=', sql.lit('open')),
    ),
    insertConversation: compileOnce(
      db
        .insertInto('conversations')
        .values({
          id: param('id'),
          project_id: param('projectId'),
          visitor_id: param('visitorId'),
          status: sql.lit('open'),
          created_at: param('createdAt'),
          last_activity_at: param('createdAt'),
          last_seq: sql.lit(0),
          last_message_body: null,
          last_message_author: null,
          last_message_at: null,
          visitor_read_seq: sql.lit(0),
          agent_read_seq: sql.lit(0),
          unread_for_agents: sql.lit(0),
          unread_for_visitor: sql.lit(0),
          closed_at: null,
        })
        .returning('id'),
    ),
    // The row update allocates the seq and serialises writers on the conversation (a row lock on
    // PostgreSQL, the single writer on SQLite). An agent has read what they answer; a visitor's
    // message is one more unread for the agents, anyone else's one more for the visitor.
    bump: compileOnce(
      db
        .updateTable('conversations')
        .set({
          last_seq: sql<number>`last_seq + 1`,
          last_activity_at: param('createdAt'),
          last_message_body: param('preview'),
          last_message_author: authorKind,
          last_message_at: param('createdAt'),
          agent_read_seq: sql<number>`case when ${authorKind} = 'agent' then last_seq + 1 else agent_read_seq end`,
          unread_for_agents: sql<number>`case ${authorKind} when 'visitor' then unread_for_agents + 1 when 'agent' then 0 else unread_for_agents end`,
          unread_for_visitor: sql<number>`case when ${authorKind} = 'visitor' then unread_for_visitor else unread_for_visitor + 1 end`,
        })
        .where('id', '=', param<string>('conversationId'))
        .returning('last_seq'),
    ),
    // A note for agents takes the next seq and changes nothing else the visitor or the inbox
    // counts: no preview, no unread count, no read marker, no activity time.
    bumpSeq: compileOnce(
      db
        .updateTable('conversations')
        .set({ last_seq: sql<number>`last_seq + 1` })
        .where('id', '=', param<string>('conversationId'))
        .returning('last_seq'),
    ),
    insertMessage: compileOnce(
      db.insertInto('messages').values({
        id: param('id'),
        conversation_id: param('conversationId'),
        seq: param('seq'),
        sender_key: param('senderKey'),
        client_message_id: param('clientMessageId'),
        author_kind: authorKind,
        author_id: param('authorId'),
        author_name: param('authorName'),
        body: param('body'),
        created_at: param('createdAt'),
        visibility: param('visibility'),
      }),
    ),
    inboxRow: compileOnce(selectInbox(db).where('c.id', '=', param<string>('conversationId'))),
    insertDelivery: compileOnce(
      db
        .insertInto('webhook_deliveries')
        .values(
          Object.fromEntries(
            Object.keys(deliveryRow(DELIVERY_SHAPE)).map((column) => [column, param(column)]),
          ) as ReturnType<typeof deliveryRow>,
        ),
    ),
  };
}

/** Any delivery: only its keys matter, to name the insert's columns. */
const DELIVERY_SHAPE = {
  id: '',
  projectId: '',
  subscriptionId: '',
  eventId: '',
  eventType: '',
  orderKey: null,
  body: '',
  createdAt: '',
  giveUpAt: '',
};

/** The target conversation of an append does not exist. */
export class ConversationNotFoundError extends Error {
  override name = 'ConversationNotFoundError';
}

function* inboxRowOf(
  s: AppendStatements,
  conversationId: string,
): StatementProgram<AppendedMessage['conversation']> {
  const row = yield* query(s.inboxRow, { conversationId });
  if (!row) throw new ConversationNotFoundError(`Conversation ${conversationId} does not exist`);
  return toInboxRow(row);
}

/**
 * One append, as a program of statements for a transaction the caller owns: the SQLite group
 * commit runs it synchronously on its connection, PostgreSQL through its async driver.
 */
export function* appendProgram(
  s: AppendStatements,
  m: NewMessage,
): StatementProgram<AppendedMessage> {
  if (m.senderKey !== null && m.clientMessageId !== null) {
    const earlier = yield* query(s.findBySender, {
      senderKey: m.senderKey,
      clientMessageId: m.clientMessageId,
    });
    if (earlier) {
      return {
        message: toMessage(earlier),
        created: false,
        opened: false,
        conversation: yield* inboxRowOf(s, earlier.conversation_id),
      };
    }
  }
  let conversationId: string;
  let opened = false;
  if ('conversationId' in m.target) {
    conversationId = m.target.conversationId;
  } else {
    const { visitorId, projectId, newConversationId } = m.target.openFor;
    const open = yield* query(s.openConversationOf, { visitorId });
    if (open) {
      conversationId = open.id;
    } else {
      yield* query(s.insertConversation, {
        id: newConversationId,
        projectId,
        visitorId,
        createdAt: m.createdAt,
      });
      conversationId = newConversationId;
      opened = true;
    }
  }
  const bumped =
    m.visibility === 'agents'
      ? yield* query(s.bumpSeq, { conversationId })
      : yield* query(s.bump, {
          conversationId,
          createdAt: m.createdAt,
          preview: m.body.slice(0, PREVIEW_LENGTH),
          authorKind: m.author.kind,
        });
  if (!bumped) throw new ConversationNotFoundError(`Conversation ${conversationId} does not exist`);
  const message: Message = {
    id: newTimeOrderedId('msg'),
    conversationId,
    seq: Number(bumped.last_seq),
    clientMessageId: m.clientMessageId,
    // As a read gives it back: avatars are not stored with messages.
    author: { kind: m.author.kind, id: m.author.id, name: m.author.name, avatarUrl: null },
    body: m.body,
    createdAt: m.createdAt,
    ...(m.visibility ? { visibility: m.visibility } : {}),
  };
  yield* query(s.insertMessage, {
    id: message.id,
    conversationId,
    seq: message.seq,
    senderKey: m.senderKey,
    clientMessageId: m.clientMessageId,
    authorKind: m.author.kind,
    authorId: m.author.id,
    authorName: m.author.name,
    body: m.body,
    createdAt: m.createdAt,
    visibility: m.visibility ?? 'all',
  });
  const appended = {
    message,
    created: true,
    opened,
    conversation: yield* inboxRowOf(s, conversationId),
  };
  // The webhook outbox, in the same transaction: the events exist exactly when the message does.
  for (const delivery of m.outbox?.(appended) ?? []) {
    yield* query(s.insertDelivery, deliveryRow(delivery));
  }
  return appended;
}
