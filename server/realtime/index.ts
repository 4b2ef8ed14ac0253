export { RealtimeGateway } from './gateway.js';
export {
  InProcessBus,
  type Bus,
  adminsTopic,
  agentTopic,
  projectTopic,
  projectVisitorsTopic,
  visitorTopic,
} from './bus.js';
export { Presence } from './presence.js';
export { PresenceSync } from './presence-sync.js';
