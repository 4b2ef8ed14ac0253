export { ApiKeyCreateForm } from './ApiKeyCreateForm.js';
export { ApiKeyRow } from './ApiKeyRow.js';
export { NewKeySecret } from './NewKeySecret.js';
export { RevokeConfirm } from './RevokeConfirm.js';
