export { announceContact, announceFetching } from './announce.js';
export { toContactProfile, visitorLabel } from './contact-view.js';
export { isSensitiveKey, stripPii, valueReason, type DroppedField } from './pii.js';
export { dropDangerousKeys } from './properties.js';
export { ContactService, type Actor } from './service.js';
export { storePull } from './pull.js';
