import type { Selectable } from 'kysely';
import type { Message } from '../../protocol/index.js';
import type { ConversationRecord, InboxRow } from './conversations-port.js';
import type { VisitorRecord } from './visitors-port.js';
import type { ConversationsTable, MessagesTable, VisitorsTable } from './schema.js';

/** Row → record mapping shared by the query builder paths and the compiled hot statements. */

export type ConversationRow = Selectable<ConversationsTable>;

/** A conversation row joined with what the inbox shows about its visitor. */
export type InboxJoinRow = ConversationRow & {
  v_external_user_id: string | null;
  v_identity: VisitorsTable['identity'];
  v_erased_at: string | null;
  k_name: string | null;
};

export function toConversation(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    visitorId: row.visitor_id,
    status: row.status,
    createdAt: row.created_at,
    lastActivityAt: row.last_activity_at,
    lastSeq: Number(row.last_seq),
    lastMessage:
      row.last_message_author && row.last_message_at && row.last_message_body !== null
        ? {
            seq: Number(row.last_seq),
            authorKind: row.last_message_author,
            body: row.last_message_body,
            createdAt: row.last_message_at,
          }
        : null,
    visitorReadSeq: Number(row.visitor_read_seq),
    agentReadSeq: Number(row.agent_read_seq),
    unreadForAgents: Number(row.unread_for_agents),
    unreadForVisitor: Number(row.unread_for_visitor),
    closedAt: row.closed_at,
  };
}

export function toInboxRow(row: InboxJoinRow): InboxRow {
  return {
    ...toConversation(row),
    visitor: {
      id: row.visitor_id,
      externalUserId: row.v_external_user_id,
      identity: row.v_identity,
      erasedAt: row.v_erased_at,
      // A name from an unproven id is still what the site says about that id; the badge tells.
      name: row.v_identity === 'anonymous' ? null : row.k_name,
    },
  };
}

export function toMessage(row: Selectable<MessagesTable>): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    clientMessageId: row.client_message_id,
    author: { kind: row.author_kind, id: row.author_id, name: row.author_name, avatarUrl: null },
    body: row.body,
    createdAt: row.created_at,
    ...(row.visibility === 'agents' ? { visibility: 'agents' as const } : {}),
  };
}

export function toVisitor(row: Selectable<VisitorsTable>): VisitorRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    externalUserId: row.external_user_id,
    identity: row.identity,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    pageUrl: row.page_url,
    referrer: row.referrer,
    userAgent: row.user_agent,
    locale: row.locale,
    erasedAt: row.erased_at,
  };
}
