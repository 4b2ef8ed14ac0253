import type { AgentService, AgentSessions } from '../auth/index.js';
import type { ChatService, VisitorService } from '../conversations/index.js';
import type { IntegrationService, ProfileFetcher } from '../identity/index.js';
import type { Logger } from '../logger.js';
import type { ProjectService } from '../projects/service.js';
import type { ChatEvents, Presence } from '../realtime/index.js';
import type { Store } from '../store/index.js';

/** What route handlers may use. */
export interface HttpServices {
  store: Store;
  chat: ChatService;
  visitors: VisitorService;
  projects: ProjectService;
  agents: AgentService;
  sessions: AgentSessions;
  events: ChatEvents;
  presence: Presence;
  logger: Logger;
  integrations: IntegrationService;
  profiles: ProfileFetcher;
  publicUrl: string;
}
