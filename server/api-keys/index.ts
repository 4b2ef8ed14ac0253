export { ApiKeyService, keyRefusal, type AuthenticatedKey } from './service.js';
