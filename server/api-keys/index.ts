export { ApiKeyService, keyRefusal, type AuthenticatedKey } from './service.js';
export { newKeySecret } from './secret.js';
