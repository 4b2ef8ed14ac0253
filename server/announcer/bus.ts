import type { AgentServerFrame, Message, VisitorServerFrame } from '../../protocol/index.js';
import { toConversationView, toVisitorConversation } from '../conversations/index.js';
import {
  adminsTopic,
  agentTopic,
  projectTopic,
  projectVisitorsTopic,
  visitorTopic,
  type Bus,
} from '../realtime/index.js';
import type { ConversationRecord, InboxRow } from '../store/index.js';
import type {
  Announcer,
  ConversationEvent,
  IntegrationHealthChange,
  ProfileChange,
  ProjectPresence,
  TypingAuthor,
} from './port.js';

function envelope(frame: object | string, originSocketId: string | undefined) {
  const data = typeof frame === 'string' ? frame : JSON.stringify(frame);
  return originSocketId ? { data, originSocketId } : { data };
}

/**
 * Turns changes into frames on the bus: for the agents of the project, for the visitor's own
 * sockets, for the server side of one agent's sockets. Every instance's sockets hear them.
 */
export class BusAnnouncer implements Announcer {
  constructor(private readonly bus: Bus) {}

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

  async messageCreated(
    message: Message,
    conversation: InboxRow,
    opened: boolean,
    originSocketId?: string,
  ): Promise<void> {
    const frame = JSON.stringify({ type: 'message', message });
    // A note for agents never reaches the visitor's topic, nor does the change it made.
    const forAgents = message.visibility === 'agents';
    await Promise.all([
      !forAgents && this.toVisitor(conversation.visitorId, frame, originSocketId),
      this.toAgents(conversation.projectId, frame, originSocketId),
    ]);
    // The visitor's own message changes nothing their widget shows but the message itself (it
    // counts seqs from messages), so only agents hear of the conversation then.
    const visitorSees = !forAgents && (opened || message.author.kind !== 'visitor');
    await this.conversation(conversation, opened ? 'opened' : 'updated', visitorSees);
  }

  conversationChanged(conversation: InboxRow, event: ConversationEvent): Promise<void> {
    return this.conversation(conversation, event, true);
  }

  private async conversation(
    conversation: InboxRow,
    event: ConversationEvent,
    visitorSees: boolean,
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
    author: TypingAuthor,
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

  async read(conversation: InboxRow, side: 'visitor' | 'agents'): Promise<void> {
    const seq = side === 'visitor' ? conversation.visitorReadSeq : conversation.agentReadSeq;
    const frame = { type: 'read', conversationId: conversation.id, side, seq } as const;
    await Promise.all([
      this.toVisitor(conversation.visitorId, frame),
      this.toAgents(conversation.projectId, frame),
    ]);
    await this.conversation(conversation, 'updated', true);
  }

  async visitorUpdated(
    projectId: string,
    visitorId: string,
    conversationIds: string[],
  ): Promise<void> {
    await this.toAgents(projectId, { type: 'visitor', visitorId, conversationIds });
  }

  async profileFetching(projectId: string, conversationIds: string[]): Promise<void> {
    await this.toAgents(projectId, { type: 'profile_fetching', conversationIds });
  }

  async profileChanged(change: ProfileChange): Promise<void> {
    const { projectId, ...rest } = change;
    await this.toAgents(projectId, { type: 'profile', ...rest });
  }

  async agentAccessChanged(agentIds: string[]): Promise<void> {
    const data = JSON.stringify({ type: 'access_changed' });
    await Promise.all(agentIds.map((id) => this.bus.publish(agentTopic(id), { data })));
  }

  async integrationHealthChanged(change: IntegrationHealthChange): Promise<void> {
    const frame: AgentServerFrame = { type: 'integration_health', ...change };
    await this.bus.publish(adminsTopic, { data: JSON.stringify(frame) });
  }

  async presenceChanged(projects: ProjectPresence[]): Promise<void> {
    await Promise.all(
      projects.flatMap(({ projectId, online }) => [
        this.toAgents(projectId, { type: 'presence', projectId, online }),
        this.bus.publish(projectVisitorsTopic(projectId), {
          data: JSON.stringify({ type: 'presence', agentsOnline: online.length }),
        }),
      ]),
    );
  }
}
