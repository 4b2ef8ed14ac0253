export { ApiKeyCreateForm } from './ApiKeyCreateForm.js';
export { ApiKeyRow, KEY_COLUMNS } from './ApiKeyRow.js';
export { NewKeySecret } from './NewKeySecret.js';
export { RevokeConfirm } from './RevokeConfirm.js';
