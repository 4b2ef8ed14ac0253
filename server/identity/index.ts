export { acceptIdentity } from './accept.js';
export {
  createAddressPolicy,
  parseAllowList,
  type AllowList,
  type AllowListError,
} from './address-policy.js';
export { ProfileFetcher } from './fetch-profile.js';
export { GuardedHttpClient, type Resolver } from './guard.js';
export { IntegrationService, type ResolvedIntegration } from './integration.js';
export { userHashFor } from './verify.js';
export { LocalCoordination, type FetchCoordination } from './coordination.js';
