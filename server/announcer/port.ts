import type {
  AgentPresence,
  ContactProfile,
  IntegrationHealth,
  Message,
} from '../../protocol/index.js';
import type { ConversationRecord, InboxRow } from '../store/index.js';

export type ConversationEvent = 'opened' | 'closed' | 'reopened' | 'updated';

export interface TypingAuthor {
  kind: 'visitor' | 'agent';
  id: string;
  name: string | null;
}

/** The online agents of one project, after a change. */
export interface ProjectPresence {
  projectId: string;
  online: AgentPresence[];
}

/** A contact's profile or fetch state, as agents looking at one of its visitors see it now. */
export interface ProfileChange {
  projectId: string;
  visitorId: string;
  conversationIds: string[];
  contact: ContactProfile;
  /** What agents call the visitor now (the profile name may have changed it). */
  visitorLabel: string;
}

/** A project's integration turned healthy or failing, or its breaker opened. */
export interface IntegrationHealthChange {
  projectId: string;
  previous: IntegrationHealth['status'];
  health: IntegrationHealth;
}

/**
 * What changed, told by the service that changed it, to whoever shows it (agents' consoles, the
 * visitor's widget). Services call it after their write committed; how it reaches the clients is
 * the adapter's business.
 */
export interface Announcer {
  /** A new message; `opened` when it opened its conversation. `originSocketId` hears only its ack. */
  messageCreated(
    message: Message,
    conversation: InboxRow,
    opened: boolean,
    originSocketId?: string,
  ): Promise<void>;
  conversationChanged(conversation: InboxRow, event: ConversationEvent): Promise<void>;
  typing(
    conversation: ConversationRecord,
    author: TypingAuthor,
    isTyping: boolean,
    originSocketId: string,
  ): Promise<void>;
  /** One side read up to its read seq in `conversation`. */
  read(conversation: InboxRow, side: 'visitor' | 'agents'): Promise<void>;
  /** Something agents show about a visitor changed (page, identity) other than the profile. */
  visitorUpdated(projectId: string, visitorId: string, conversationIds: string[]): Promise<void>;
  /** A fetch of a contact's profile started; `profileChanged` follows with its result. */
  profileFetching(projectId: string, conversationIds: string[]): Promise<void>;
  profileChanged(change: ProfileChange): Promise<void>;
  /** These agents' access changed (session ended, role, projects): their sockets re-check it. */
  agentAccessChanged(agentIds: string[]): Promise<void>;
  presenceChanged(projects: ProjectPresence[]): Promise<void>;
  /** For admins only: they are the ones who can fix an integration. */
  integrationHealthChanged(change: IntegrationHealthChange): Promise<void>;
}
