export { SigningService } from './service.js';
export { verifySignature } from './signature.js';
/**
 * For the senders of cards, actions and webhooks (who sign with `SigningService.sign`) and for
 * receivers such as the demo's site.
 * @public
 */
export { EVENT_ID_HEADER, REQUEST_ID_HEADER, SIGNATURE_HEADER } from './headers.js';
/** @public */
export { signatureHeader, type SignatureCheck, type SignatureFailure } from './signature.js';
