export { VisitorService, type StartedSession } from './service.js';
export { pageAddress } from './page-address.js';
