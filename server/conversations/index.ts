export { ChatService, type InboxPage, type SendOrigin } from './chat.js';
export {
  toConversationView,
  toVisitorConversation,
  toVisitorDetails,
  describeBrowser,
} from './views.js';
