export { ChatService, type InboxPage } from './chat.js';
export {
  toConversationView,
  toVisitorConversation,
  toVisitorDetails,
  describeBrowser,
} from './views.js';
