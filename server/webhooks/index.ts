export { WebhookDispatcher, type DispatcherOptions } from './dispatcher.js';
export { WebhookOutbox } from './outbox.js';
export { WebhookService } from './service.js';
export { conversationData, messageData } from './payloads.js';
export { contactChangeOutbox, contactDeletedDeliveries } from './contact-events.js';
