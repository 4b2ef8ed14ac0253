export {
  ApiKeyService,
  keyRefusal,
  type AuthenticatedKey,
  type KeyCheck,
  type KeyFailure,
} from './service.js';
