import type { AgentServerFrame, Message, VisitorServerFrame } from '../../protocol/index.js';
import type { ChatService } from '../conversations/index.js';
import { toConversationView, toVisitorConversation } from '../conversations/index.js';
import type { ConversationRecord, InboxRow } from '../store/index.js';
import type { Logger } from '../logger.js';
import type { Bus } from './bus.js';
import { agentTopic, projectTopic, projectVisitorsTopic, visitorTopic } from './bus.js';
import type { Presence } from './presence.js';

type ConversationEvent = 'opened' | 'closed' | 'reopened' | 'updated';

/**
 * Turns what happened (a message stored, a conversation closed…) into frames on the bus, for
 * agents of the project and for the visitor's own sockets. HTTP routes and sockets both use it,
 * so every path announces changes the same way.
 */
/**
 * The message is committed and acknowledged when fan-out runs; if telling the others fails
 * (database or bus hiccup), they catch up on their next resume, and the sender must not get an
 * error for a send that succeeded.
 */
export function fanOutFailed(logger: Logger, error: unknown): void {
  logger.warn(
    { err: error },
    'fan-out after an acknowledged message failed; clients catch up on resume',
  );
}

function envelope(frame: object | string, originSocketId: string | undefined) {
  const data = typeof frame === 'string' ? frame : JSON.stringify(frame);
  return originSocketId ? { data, originSocketId } : { data };
}

export class ChatEvents {
  constructor(
    private readonly bus: Bus,
    private readonly chat: ChatService,
    private readonly presence: Presence,
  ) {}

  /** `frame` serialised, or already serialised when it goes to more than one topic. */
  private toAgents(projectId: string, frame: AgentServerFrame | string, originSocketId?: string) {
    return this.bus.publish(projectTopic(projectId), envelope(frame, originSocketId));
  }

  private toVisitor(
    visitorId: string,
    frame: VisitorServerFrame | string,
    originSocketId?: string,
  ) {
    return this.bus.publish(visitorTopic(visitorId), envelope(frame, originSocketId));
  }

  /** A stored message, with its conversation as the append left it. */
  async messageCreated(
    message: Message,
    conversation: InboxRow,
    opened: boolean,
    originSocketId?: string,
  ): Promise<void> {
    const frame = JSON.stringify({ type: 'message', message });
    await Promise.all([
      this.toVisitor(conversation.visitorId, frame, originSocketId),
      this.toAgents(conversation.projectId, frame, originSocketId),
    ]);
    // The visitor's own message changes nothing their widget shows but the message itself (it
    // counts seqs from messages), so only agents hear of the conversation then.
    const visitorSees = opened || message.author.kind !== 'visitor';
    await this.conversationChanged(conversation, opened ? 'opened' : 'updated', visitorSees);
  }

  async conversationChanged(
    conversation: InboxRow,
    event: ConversationEvent,
    visitorSees = true,
  ): Promise<void> {
    await Promise.all([
      this.toAgents(conversation.projectId, {
        type: 'conversation',
        event,
        conversation: toConversationView(conversation),
      }),
      visitorSees &&
        this.toVisitor(conversation.visitorId, {
          type: 'conversation',
          event,
          conversation: toVisitorConversation(conversation),
        }),
    ]);
  }

  async typing(
    conversation: ConversationRecord,
    author: { kind: 'visitor' | 'agent'; id: string; name: string | null },
    isTyping: boolean,
    originSocketId: string,
  ): Promise<void> {
    const frame = { type: 'typing', conversationId: conversation.id, isTyping, author } as const;
    if (author.kind === 'visitor') {
      await this.toAgents(conversation.projectId, frame, originSocketId);
    } else {
      await Promise.all([
        this.toVisitor(conversation.visitorId, frame),
        this.toAgents(conversation.projectId, frame, originSocketId),
      ]);
    }
  }

  async read(conversation: ConversationRecord, side: 'visitor' | 'agents'): Promise<void> {
    const seq = side === 'visitor' ? conversation.visitorReadSeq : conversation.agentReadSeq;
    const frame = { type: 'read', conversationId: conversation.id, side, seq } as const;
    await Promise.all([
      this.toVisitor(conversation.visitorId, frame),
      this.toAgents(conversation.projectId, frame),
    ]);
    await this.conversationChanged(await this.chat.inboxRow(conversation.id), 'updated');
  }

  /** Something agents show about a visitor changed (page, identity, profile). */
  async visitorUpdated(
    projectId: string,
    visitorId: string,
    conversationIds: string[],
  ): Promise<void> {
    await this.toAgents(projectId, { type: 'visitor', visitorId, conversationIds });
  }

  /** These agents' access changed: their open sockets must re-check it. */
  async agentAccessChanged(agentIds: string[]): Promise<void> {
    const data = JSON.stringify({ type: 'access_changed' });
    await Promise.all(agentIds.map((id) => this.bus.publish(agentTopic(id), { data })));
  }

  async presenceChanged(projectIds: string[]): Promise<void> {
    await Promise.all(
      projectIds.flatMap((projectId) => {
        const online = this.presence.online(projectId);
        return [
          this.toAgents(projectId, { type: 'presence', projectId, online }),
          this.bus.publish(projectVisitorsTopic(projectId), {
            data: JSON.stringify({ type: 'presence', agentsOnline: online.length }),
          }),
        ];
      }),
    );
  }
}
