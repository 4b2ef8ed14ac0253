export type {
  Announcer,
  ConversationEvent,
  ProfileChange,
  ProjectPresence,
  TypingAuthor,
} from './port.js';
export { BusAnnouncer } from './bus.js';
