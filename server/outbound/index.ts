export {
  editedHeaders,
  headerViews,
  maskHeaderValue,
  openHeaders,
  sealHeaders,
  type SiteHeader,
} from './headers.js';
export { siteUrlProblem } from './site-url.js';
export {
  createAddressPolicy,
  parseAllowList,
  type AllowList,
  type AllowListError,
} from './address-policy.js';
export { isJsonContentType } from './content-type.js';
export { OutboundError, requestFailure, type OutboundErrorClass } from './errors.js';
export {
  GuardedHttpClient,
  type GuardedRequest,
  type GuardedResponse,
  type Resolver,
} from './guard.js';
