import UAParser from 'ua-parser-js';
import type { Conversation, VisitorConversation, VisitorDetails } from '../../protocol/index.js';
import type { ConversationRecord, InboxRow, VisitorRecord } from '../store/index.js';
import { visitorLabel } from '../contacts/index.js';
import { pageAddress } from '../visitors/index.js';

export function toConversationView(row: InboxRow): Conversation {
  return {
    id: row.id,
    projectId: row.projectId,
    visitorId: row.visitorId,
    status: row.status,
    createdAt: row.createdAt,
    lastActivityAt: row.lastActivityAt,
    lastSeq: row.lastSeq,
    lastMessage: row.lastMessage,
    unreadForAgents: row.unreadForAgents,
    visitorLabel: visitorLabel(row.visitor),
    identity: row.visitor.identity,
    externalUserId: row.visitor.externalUserId,
  };
}

export function toVisitorConversation(c: ConversationRecord): VisitorConversation {
  return {
    id: c.id,
    status: c.status,
    lastSeq: c.lastSeq,
    unread: c.unreadForVisitor,
    createdAt: c.createdAt,
  };
}

/** "Chrome 131 on macOS", or null when the user agent says nothing useful. */
export function describeBrowser(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const ua = new UAParser(userAgent).getResult();
  const browser = [ua.browser.name, ua.browser.major].filter(Boolean).join(' ');
  const os = [ua.os.name, ua.os.version].filter(Boolean).join(' ');
  if (!browser && !os) return null;
  return os ? `${browser || 'Unknown browser'} on ${os}` : browser;
}

export function toVisitorDetails(v: VisitorRecord): VisitorDetails {
  return {
    id: v.id,
    firstSeenAt: v.firstSeenAt,
    lastSeenAt: v.lastSeenAt,
    // Addresses stored before they were scrubbed at session start are scrubbed on the way out.
    pageUrl: pageAddress(v.pageUrl),
    referrer: pageAddress(v.referrer),
    userAgent: v.userAgent,
    browser: describeBrowser(v.userAgent),
    locale: v.locale,
    externalUserId: v.externalUserId,
    identity: v.identity,
    erasedAt: v.erasedAt,
  };
}
