export { DeliveryLog } from './DeliveryLog.js';
export { WebhookForm } from './WebhookForm.js';
