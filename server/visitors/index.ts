export { VisitorService, type SessionContext, type StartedSession } from './service.js';
export { pageAddress } from './page-address.js';
