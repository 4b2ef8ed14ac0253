export { RealtimeGateway, type GatewayDeps } from './gateway.js';
export {
  InProcessBus,
  type Bus,
  type BusEnvelope,
  agentTopic,
  projectTopic,
  visitorTopic,
} from './bus.js';
export { ChatEvents } from './chat-events.js';
export { Presence } from './presence.js';
export { PresenceSync } from './presence-sync.js';
