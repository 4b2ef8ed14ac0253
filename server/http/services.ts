import type { ApiKeyService } from '../api-keys/index.js';
import type { AgentService, AgentSessions } from '../auth/index.js';
import type { CardService, CardSettingsService } from '../cards/index.js';
import type { ContactService } from '../contacts/index.js';
import type { ChatService } from '../conversations/index.js';
import type { IntegrationService, ProfileFetcher } from '../identity/index.js';
import type { Logger } from '../logger.js';
import type { ProjectService } from '../projects/service.js';
import type { Presence } from '../realtime/index.js';
import type { SigningService } from '../signing/index.js';
import type { Store } from '../store/index.js';
import type { VisitorService } from '../visitors/index.js';
import type { WebhookService } from '../webhooks/index.js';

/** What route handlers may use. */
export interface HttpServices {
  store: Store;
  chat: ChatService;
  visitors: VisitorService;
  contacts: ContactService;
  projects: ProjectService;
  agents: AgentService;
  sessions: AgentSessions;
  presence: Presence;
  logger: Logger;
  integrations: IntegrationService;
  profiles: ProfileFetcher;
  apiKeys: ApiKeyService;
  cards: CardSettingsService;
  cardCalls: CardService;
  signing: SigningService;
  webhooks: WebhookService;
  publicUrl: string;
}
