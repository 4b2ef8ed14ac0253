export { ChatService, type InboxPage } from './chat.js';
export { VisitorService, type StartedSession } from './visitors.js';
export {
  toConversationView,
  toVisitorConversation,
  toVisitorDetails,
  visitorLabel,
  describeBrowser,
} from './views.js';
