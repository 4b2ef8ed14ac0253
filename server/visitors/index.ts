export { VisitorService } from './service.js';
export { pageAddress } from './page-address.js';
