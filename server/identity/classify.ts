import type { FetchOutcome } from '../../protocol/index.js';
import type { OutboundErrorClass } from '../outbound/index.js';

/** The longest Retry-After we honour; a site asking for more is probably misconfigured. */
const RETRY_AFTER_CAP_MS = 15 * 60_000;
const RETRY_AFTER_DEFAULT_MS = 60_000;

const NOT_FOUND_MESSAGE =
  'The site does not know this user: showing a new profile with only the id';
const UNAUTHORIZED_MESSAGE =
  "The site refused Palaver's credentials: check the integration's headers";

export interface StatusVerdict {
  outcome: FetchOutcome;
  errorClass: OutboundErrorClass | null;
  message: string;
  /** With a 429: how long the site asked attempts to wait. */
  pauseMs?: number;
}

/**
 * What an answer other than 200 means, by the contract's table of statuses. `post`: the endpoint
 * is called in the data-sync (POST) style, where 400 means an unknown user.
 */
export function classifyStatus(
  status: number,
  options: { post: boolean; retryAfter: string | undefined; now: number },
): StatusVerdict {
  const { post } = options;
  // A data-sync endpoint answers 400 {"status":"bad_request"} for a user it cannot resolve.
  if (status === 404 || status === 410 || (post && status === 400)) {
    return { outcome: 'not_found', errorClass: null, message: NOT_FOUND_MESSAGE };
  }
  if (status === 401 || status === 403) {
    return {
      outcome: 'unauthorized',
      errorClass: 'unauthorized',
      message: `HTTP ${status}: ${UNAUTHORIZED_MESSAGE}`,
    };
  }
  if (status === 429) {
    const wait = retryAfterMs(options.retryAfter, options.now);
    return {
      outcome: 'rate_limited',
      errorClass: 'rate_limited',
      message: `HTTP 429: the site asked to wait ${Math.round(wait / 1000)} s`,
      pauseMs: wait,
    };
  }
  if (status >= 500) {
    return {
      outcome: 'server_error',
      errorClass: 'server_error',
      message: `The site answered HTTP ${status}`,
    };
  }
  if (status >= 300 && status < 400) {
    return {
      outcome: 'config_error',
      errorClass: 'redirect',
      message: `HTTP ${status}: redirects are not followed; configure the final URL`,
    };
  }
  const allowed = `the contract allows 200, 404/410${post ? ' (or 400)' : ''} for an unknown user, 401/403, 429 and 5xx`;
  // Another 4xx is the site's answer about this one user (its id or record): logged for
  // them; other statuses mean the endpoint itself is not what the contract describes.
  if (status >= 400 && status < 500) {
    return {
      outcome: 'invalid_response',
      errorClass: 'bad_status',
      message: `HTTP ${status} for this user; ${allowed}`,
    };
  }
  return {
    outcome: 'config_error',
    errorClass: 'bad_status',
    message: `Unexpected HTTP ${status}; ${allowed}`,
  };
}

/** The outcome of a call that failed before an answer arrived. */
export function outcomeOf(errorClass: OutboundErrorClass): FetchOutcome {
  switch (errorClass) {
    case 'timeout':
      return 'timeout';
    case 'blocked_address':
      return 'blocked';
    case 'config':
      return 'config_error';
    case 'invalid_id':
      return 'invalid_id';
    case 'too_large':
    case 'bad_content_type':
    case 'bad_json':
    case 'invalid_profile':
      return 'invalid_response';
    case 'identity_mismatch':
      return 'identity_mismatch';
    default:
      return 'network_error';
  }
}

/** Retry-After in seconds or as an HTTP date; capped, with a default when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: number): number {
  if (!header) return RETRY_AFTER_DEFAULT_MS;
  const seconds = Number(header.trim());
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  if (!Number.isFinite(ms) || ms < 0) return RETRY_AFTER_DEFAULT_MS;
  return Math.min(ms, RETRY_AFTER_CAP_MS);
}
