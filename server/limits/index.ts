export {
  addressKey,
  clientAddress,
  compileTrust,
  parseTrustProxy,
  type TrustFn,
  type TrustProxy,
} from './client-address.js';
export { limitRequests, type RequestLimit } from './http.js';
export { Limiter, waitText, type Verdict } from './limiter.js';
export { createLimits, VisitorMessageLimit, type Limits, type MessageRefusal } from './limits.js';
export {
  DEFAULT_LOGIN_RATE_LIMIT,
  DEFAULT_RATE_LIMITS,
  type LimitPolicy,
  type RateLimits,
} from './policies.js';
export { MemoryLimitStore, type LimitStore } from './store.js';
