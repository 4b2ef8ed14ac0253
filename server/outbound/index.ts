export {
  editedHeaders,
  headerViews,
  maskHeaderValue,
  openHeaders,
  sealHeaders,
  type SiteHeader,
} from './headers.js';
export { siteUrlProblem } from './site-url.js';
