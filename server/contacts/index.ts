export { announceContact, announceFetching } from './announce.js';
export { toContactProfile, visitorLabel } from './contact-view.js';
export { isSensitiveKey, stripPii, valueReason, type DroppedField } from './pii.js';
export { dropDangerousKeys, propertyProblems, type DroppedKeys } from './properties.js';
export { ContactService, type Actor } from './service.js';
export { storePull } from './pull.js';
