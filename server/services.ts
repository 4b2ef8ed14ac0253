import { AgentService, AgentSessions } from './auth/index.js';
import { ChatService, VisitorService } from './conversations/index.js';
import type { Logger } from './logger.js';
import { ProjectService } from './projects/service.js';
import { ChatEvents, Presence, type Bus } from './realtime/index.js';
import type { Store } from './store/index.js';

export interface Services {
  store: Store;
  bus: Bus;
  logger: Logger;
  chat: ChatService;
  visitors: VisitorService;
  projects: ProjectService;
  agents: AgentService;
  sessions: AgentSessions;
  presence: Presence;
  events: ChatEvents;
}

/** Wires the services over a store and a bus. */
export function createServices(deps: { store: Store; bus: Bus; logger: Logger }): Services {
  const { store, bus, logger } = deps;
  const chat = new ChatService(store);
  // Presence and events refer to each other: presence changes are published as events.
  const presence = new Presence((projectIds) => {
    events.presenceChanged(projectIds).catch((error: unknown) => {
      logger.warn({ err: error }, 'presence publish failed');
    });
  });
  const events = new ChatEvents(bus, chat, presence);
  return {
    store,
    bus,
    logger,
    chat,
    visitors: new VisitorService(store),
    projects: new ProjectService(store),
    agents: new AgentService(store),
    sessions: new AgentSessions(store),
    presence,
    events,
  };
}
