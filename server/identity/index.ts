export { acceptIdentity } from './accept.js';
export { ProfileFetcher } from './fetch-profile.js';
export { IntegrationService, type ResolvedIntegration } from './integration.js';
export { userHashFor } from './verify.js';
export { LocalCoordination, type FetchCoordination } from './coordination.js';
