export { RealtimeGateway, type GatewayDeps } from './gateway.js';
export {
  InProcessBus,
  type Bus,
  type BusEnvelope,
  agentTopic,
  projectTopic,
  projectVisitorsTopic,
  visitorTopic,
} from './bus.js';
export { Presence } from './presence.js';
export { PresenceSync } from './presence-sync.js';
