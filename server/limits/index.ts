export {
  addressKey,
  clientAddress,
  compileTrust,
  parseTrustProxy,
  type TrustProxy,
} from './client-address.js';
export { byAddress, limitRequests } from './http.js';
export { Limiter, waitText } from './limiter.js';
export { createLimits, VisitorMessageLimit } from './limits.js';
export { DEFAULT_LOGIN_RATE_LIMIT, DEFAULT_RATE_LIMITS, type RateLimits } from './policies.js';
export { MemoryLimitStore, type LimitStore } from './store.js';
