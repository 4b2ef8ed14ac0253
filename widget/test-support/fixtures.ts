import { DEFAULT_WIDGET_OPTIONS } from '../../protocol/index.js';
import type { Message, VisitorConversation } from '../../protocol/index.js';
import type { VisitorSession } from '../panel-contract.js';

export const VISITOR_TOKEN = 'vt_0123456789abcdefghijklmnop';

export function conversation(overrides: Partial<VisitorConversation> = {}): VisitorConversation {
  return {
    id: 'conv_1',
    status: 'open',
    lastSeq: 0,
    unread: 0,
    createdAt: '2024-05-01T10:00:00.000Z',
    ...overrides,
  };
}

export function session(overrides: Partial<VisitorSession> = {}): VisitorSession {
  // Built outside the returned literal so that the fixture follows protocol fields being added.
  const base = {
    visitorToken: VISITOR_TOKEN,
    visitorId: 'vis_1',
    identity: 'anonymous' as const,
    project: { id: 'demo', name: 'Acme Support', widget: { ...DEFAULT_WIDGET_OPTIONS } },
    conversation: null,
    agentsOnline: 1,
    notice: null,
    apiOrigin: 'https://chat.example.com',
    locale: 'en',
  };
  return { ...base, ...overrides };
}

export function message(
  seq: number,
  kind: Message['author']['kind'] = 'agent',
  overrides: Partial<Message> = {},
): Message {
  return {
    id: `msg_${seq}`,
    conversationId: 'conv_1',
    seq,
    clientMessageId: null,
    author:
      kind === 'visitor'
        ? { kind, id: 'vis_1', name: null, avatarUrl: null }
        : kind === 'agent'
          ? { kind, id: 'agt_1', name: 'Dana Agent', avatarUrl: null }
          : { kind, id: null, name: null, avatarUrl: null },
    body: `message ${seq}`,
    createdAt: '2024-05-01T10:00:00.000Z',
    ...overrides,
  };
}
