export { ChatService } from './chat.js';
export { toConversationView, toVisitorConversation, toVisitorDetails } from './views.js';
