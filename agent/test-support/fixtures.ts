import type {
  Agent,
  AuthSession,
  Contact,
  ContactConversation,
  ContactDetail,
  ContactProfile,
  Conversation,
  ConversationDetail,
  Message,
  Profile,
  Project,
} from '../../protocol/index.js';
import { DEFAULT_WIDGET_OPTIONS } from '../../protocol/index.js';

const T0 = Date.parse('2025-06-02T10:00:00.000Z');
export const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

export function agent(overrides: Partial<Agent> = {}): Agent {
  return {
    id: 'agt_me',
    email: 'ada@example.com',
    name: 'Ada',
    role: 'admin',
    active: true,
    projectIds: ['acme'],
    createdAt: at(0),
    ...overrides,
  };
}

export function authSession(overrides: Partial<Agent> = {}): AuthSession {
  return { agent: agent(overrides), csrfToken: 'csrf-123', publicUrl: 'https://chat.example.com' };
}

export function project(overrides: Partial<Project> = {}): Project {
  return {
    id: 'acme',
    name: 'Acme',
    allowedOrigins: ['https://acme.test'],
    widget: DEFAULT_WIDGET_OPTIONS,
    createdAt: at(0),
    ...overrides,
  };
}

export function conversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 'conv_1',
    projectId: 'acme',
    visitorId: 'vis_1',
    status: 'open',
    createdAt: at(0),
    lastActivityAt: at(1),
    lastSeq: 1,
    lastMessage: { seq: 1, authorKind: 'visitor', body: 'Hello there', createdAt: at(1) },
    unreadForAgents: 1,
    visitorLabel: 'Visitor 1A2B',
    identity: 'anonymous',
    externalUserId: null,
    ...overrides,
  };
}

export function message(overrides: Partial<Message> = {}): Message {
  return {
    id: `msg_${overrides.seq ?? 1}`,
    conversationId: 'conv_1',
    seq: 1,
    clientMessageId: null,
    author: { kind: 'visitor', id: 'vis_1', name: null, avatarUrl: null },
    body: 'Hello there',
    createdAt: at(1),
    ...overrides,
  };
}

/** What the site's API said about Jane, the fixtures' signed-in visitor. */
export function janeProfile(overrides: Partial<Profile> = {}): Profile {
  return {
    name: 'Jane Doe',
    firstName: 'Jane',
    lastName: 'Doe',
    email: 'jane@acme.test',
    phone: null,
    avatarUrl: null,
    metadata: {},
    ...overrides,
  };
}

/** A contact as the server reports it before any fetch; pass `profile` etc. to go further. */
export function contact(overrides: Partial<ContactProfile> = {}): ContactProfile {
  return {
    externalUserId: 'jane@acme.test',
    identity: 'claimed',
    profile: null,
    provenance: { fields: {}, properties: {} },
    notFoundAtSiteAt: null,
    fetchedAt: null,
    httpStatus: null,
    latencyMs: null,
    siteName: 'Acme',
    lastAttempt: null,
    pending: false,
    ...overrides,
  };
}

/** The contact of a signed-in visitor (null for anonymous ones), unless given. */
export function detail(
  c: Conversation = conversation(),
  withContact?: ContactProfile | null,
): ConversationDetail {
  return {
    conversation: c,
    visitor: {
      id: c.visitorId,
      firstSeenAt: at(0),
      lastSeenAt: at(1),
      pageUrl: 'https://acme.test/pricing',
      referrer: null,
      userAgent: null,
      browser: 'Firefox 128 on Linux',
      locale: 'en-GB',
      externalUserId: c.externalUserId,
      identity: c.identity,
      erasedAt: null,
    },
    contact:
      withContact !== undefined
        ? withContact
        : c.externalUserId && c.identity !== 'anonymous'
          ? contact({ externalUserId: c.externalUserId, identity: c.identity })
          : null,
  };
}

/** A contact as the Contacts pages get it: Jane, pushed by a CRM sync, unless given. */
export function siteContact(overrides: Partial<Contact> = {}): Contact {
  const pushed = { source: 'push' as const, at: at(0), detail: 'CRM sync' };
  return {
    externalId: 'u_1',
    name: 'Jane Doe',
    firstName: null,
    lastName: null,
    email: 'jane@acme.test',
    phone: null,
    avatarUrl: null,
    properties: { plan: 'Pro' },
    provenance: { fields: { name: pushed, email: pushed }, properties: { plan: pushed } },
    identity: 'verified',
    notFoundAtSiteAt: null,
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

export function contactConversation(
  overrides: Partial<ContactConversation> = {},
): ContactConversation {
  return {
    id: 'conv_1',
    status: 'open',
    createdAt: at(0),
    lastActivityAt: at(1),
    lastMessageBody: 'Hello there',
    ...overrides,
  };
}

export function contactDetail(
  c: Contact = siteContact(),
  conversations: ContactConversation[] = [contactConversation()],
): ContactDetail {
  return { contact: c, conversations };
}
