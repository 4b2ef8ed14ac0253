export { EVENT_ID_HEADER, REQUEST_ID_HEADER, SIGNATURE_HEADER } from './headers.js';
export { SigningService, type SigningServiceOptions } from './service.js';
export {
  DEFAULT_TOLERANCE_SECONDS,
  signatureHeader,
  verifySignature,
  type SignatureCheck,
  type SignatureFailure,
  type SignedBody,
  type VerifyOptions,
} from './signature.js';
