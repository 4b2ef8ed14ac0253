import * as z from 'zod/mini';
import { Id, Seq } from './common.js';
import { ClientMessageId, Message, MessageBody } from './message.js';
import { VisitorToken, VisitorConversation } from './session.js';
import { Conversation } from './conversation.js';
import { Agent, AgentPresence } from './agent.js';
import { ContactProfile } from './profile.js';
import { IntegrationHealth } from './integration.js';

export { AGENT_SOCKET_PATH, CloseCode, VISITOR_SOCKET_PATH } from './constants.js';

/** "I have seen everything up to `afterSeq` in this conversation; send me the rest." */
export const ResumeEntry = z.object({ conversationId: Id, afterSeq: Seq });
export type ResumeEntry = z.infer<typeof ResumeEntry>;
const ResumeList = z.array(ResumeEntry).check(z.maxLength(50));

// ---- visitor → server -------------------------------------------------------------------------

export const VisitorAuthFrame = z.object({
  type: z.literal('auth'),
  token: VisitorToken,
  resume: ResumeList,
});
/** Sends to the visitor's open conversation, starting one when there is none. */
export const VisitorSendFrame = z.object({
  type: z.literal('send'),
  clientMessageId: ClientMessageId,
  body: MessageBody,
});
export const VisitorTypingFrame = z.object({ type: z.literal('typing'), isTyping: z.boolean() });
export const ReadFrame = z.object({ type: z.literal('read'), conversationId: Id, seq: Seq });
export const HistoryRequestFrame = z.object({
  type: z.literal('history'),
  conversationId: Id,
  beforeSeq: z.optional(z.int().check(z.gte(1))),
  limit: z.optional(z.int().check(z.gte(1), z.lte(100))),
});

/**
 * "Are you there?" A browser cannot see a connection that died without a close (sleep, NAT
 * timeout, a proxy dropping it) until TCP gives up minutes later; the server answers every ping at
 * once with a pong, so a client that hears nothing within seconds knows to reconnect.
 */
export const PingFrame = z.object({ type: z.literal('ping') });

export const VisitorClientFrame = z.discriminatedUnion('type', [
  VisitorAuthFrame,
  PingFrame,
  VisitorSendFrame,
  VisitorTypingFrame,
  ReadFrame,
  HistoryRequestFrame,
]);
export type VisitorClientFrame = z.infer<typeof VisitorClientFrame>;

// ---- agent → server ---------------------------------------------------------------------------

export const AgentResumeFrame = z.object({ type: z.literal('resume'), resume: ResumeList });
export const AgentSendFrame = z.object({
  type: z.literal('send'),
  conversationId: Id,
  clientMessageId: ClientMessageId,
  body: MessageBody,
});
export const AgentTypingFrame = z.object({
  type: z.literal('typing'),
  conversationId: Id,
  isTyping: z.boolean(),
});

export const AgentClientFrame = z.discriminatedUnion('type', [
  AgentResumeFrame,
  PingFrame,
  AgentSendFrame,
  AgentTypingFrame,
  ReadFrame,
]);
export type AgentClientFrame = z.infer<typeof AgentClientFrame>;

// ---- server → clients -------------------------------------------------------------------------

export const MessageFrame = z.object({ type: z.literal('message'), message: Message });
/** The sender's message is committed; `message` is the stored copy (same for a repeated send). */
export const AckFrame = z.object({
  type: z.literal('ack'),
  clientMessageId: z.string(),
  message: Message,
});
export const TypingFrame = z.object({
  type: z.literal('typing'),
  conversationId: Id,
  isTyping: z.boolean(),
  author: z.object({
    kind: z.enum(['visitor', 'agent']),
    id: z.string(),
    name: z.nullable(z.string()),
  }),
});
export const ReadStateFrame = z.object({
  type: z.literal('read'),
  conversationId: Id,
  side: z.enum(['visitor', 'agents']),
  seq: Seq,
});
export const PongFrame = z.object({ type: z.literal('pong') });
export const ErrorFrame = z.object({
  type: z.literal('error'),
  code: z.string(),
  message: z.string(),
  /** Set when the error answers a specific send. */
  clientMessageId: z.optional(z.string()),
  /** With `rate_limited`: how long to wait before sending again. */
  retryAfterMs: z.optional(z.int().check(z.gte(0))),
});
export const HistoryFrame = z.object({
  type: z.literal('history'),
  conversationId: Id,
  messages: z.array(Message),
  hasMore: z.boolean(),
});
export const ConversationEvent = z.enum(['opened', 'closed', 'reopened', 'updated']);

export const VisitorReadyFrame = z.object({
  type: z.literal('ready'),
  visitorId: Id,
  conversation: z.nullable(VisitorConversation),
  agentsOnline: z.int().check(z.gte(0)),
});
export const VisitorConversationFrame = z.object({
  type: z.literal('conversation'),
  event: ConversationEvent,
  conversation: VisitorConversation,
});
export const VisitorPresenceFrame = z.object({
  type: z.literal('presence'),
  agentsOnline: z.int().check(z.gte(0)),
});

export const VisitorServerFrame = z.discriminatedUnion('type', [
  VisitorReadyFrame,
  MessageFrame,
  AckFrame,
  TypingFrame,
  ReadStateFrame,
  VisitorConversationFrame,
  VisitorPresenceFrame,
  HistoryFrame,
  PongFrame,
  ErrorFrame,
]);
export type VisitorServerFrame = z.infer<typeof VisitorServerFrame>;

export const AgentReadyFrame = z.object({
  type: z.literal('ready'),
  agentId: Id,
  online: z.array(AgentPresence),
});
export const AgentConversationFrame = z.object({
  type: z.literal('conversation'),
  event: ConversationEvent,
  conversation: Conversation,
});
export const AgentPresenceFrame = z.object({
  type: z.literal('presence'),
  projectId: Id,
  online: z.array(AgentPresence),
});
/** Something about a visitor changed (page, identity); refetch the conversation detail. */
export const VisitorUpdatedFrame = z.object({
  type: z.literal('visitor'),
  conversationIds: z.array(Id),
  visitorId: Id,
});

/**
 * A fetch of the visitor's profile ended: the contact as the profile panel shows it, and what
 * agents call the visitor now. Complete, so that consoles need no second request.
 */
export const ProfileFrame = z.object({
  type: z.literal('profile'),
  conversationIds: z.array(Id),
  visitorId: Id,
  contact: ContactProfile,
  visitorLabel: z.string(),
});

/**
 * Palaver started asking the site about the contact behind these conversations: their profile
 * panels show "Fetching profile…" until the `profile` frame with the result arrives.
 */
export const ProfileFetchingFrame = z.object({
  type: z.literal('profile_fetching'),
  conversationIds: z.array(Id),
});

/**
 * The agent's access changed (projects, role, name) and the socket now follows it: the console
 * reloads what depends on it. Sent instead of dropping the socket.
 */
export const AgentAccessFrame = z.object({ type: z.literal('access'), agent: Agent });

/**
 * To admins only: a project's API integration turned failing or healthy, or paused after repeated
 * failures. Consoles alert on any page and update the settings banner.
 */
export const IntegrationHealthFrame = z.object({
  type: z.literal('integration_health'),
  projectId: Id,
  previous: z.enum(['unknown', 'healthy', 'failing']),
  health: IntegrationHealth,
});

export const AgentServerFrame = z.discriminatedUnion('type', [
  AgentReadyFrame,
  MessageFrame,
  AckFrame,
  TypingFrame,
  ReadStateFrame,
  AgentConversationFrame,
  AgentPresenceFrame,
  VisitorUpdatedFrame,
  ProfileFrame,
  ProfileFetchingFrame,
  AgentAccessFrame,
  IntegrationHealthFrame,
  PongFrame,
  ErrorFrame,
]);
export type AgentServerFrame = z.infer<typeof AgentServerFrame>;
