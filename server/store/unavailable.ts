import { AppError } from '../errors.js';

/**
 * The database cannot answer right now (down, unreachable, overloaded, out of disk, locked past
 * the wait): nothing is wrong with the request, and the same request will work once the database
 * is back. The adapters turn their drivers' failures of that kind into this one error, by driver
 * error code, so that every caller answers it the same way (HTTP 503, an `unavailable` frame).
 * `cause` holds the driver's error, for the log.
 */
export class StoreUnavailableError extends AppError {
  override name = 'StoreUnavailableError';
  constructor(cause: unknown) {
    super(
      'unavailable',
      503,
      'The service cannot reach its database at the moment; try again in a few seconds',
    );
    this.cause = cause;
  }
}

/**
 * How long a query or a new connection may take before the database counts as not answering: a
 * chat message should be acknowledged or refused within seconds, never hang.
 */
export const DEFAULT_DATABASE_TIMEOUT_MS = 5000;

/**
 * Node's socket error codes that mean the database host cannot be reached or dropped the
 * connection.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** The error's `code` property when it is a string. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = error.code;
  return typeof code === 'string' ? code : undefined;
}

export function isNetworkFailure(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && NETWORK_CODES.has(code);
}
