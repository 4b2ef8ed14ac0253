export { createAddressPolicy, parseAllowList, type AllowList } from './address-policy.js';
export { IdentityFetchError, type FetchErrorClass } from './errors.js';
export { FETCH_DEADLINE_MS, ProfileFetcher, type FetchReport } from './fetch-profile.js';
export { GuardedHttpClient, type Resolver } from './guard.js';
export { IntegrationService, type ResolvedIntegration } from './integration.js';
export { userHashFor, verifyUserHash, verifyUserToken } from './verify.js';
export { toContactProfile } from './contact-view.js';
export { LocalCoordination, type FetchCoordination } from './coordination.js';
