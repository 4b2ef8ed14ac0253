/**
 * Why a call to a site's endpoint (identity, card, action, webhook) did not get a usable answer;
 * stable values shown in the integration, card and delivery logs.
 */
export type OutboundErrorClass =
  | 'invalid_id'
  | 'config'
  | 'blocked_address'
  | 'dns'
  | 'connect'
  | 'tls'
  | 'timeout'
  | 'too_large'
  | 'redirect'
  | 'bad_status'
  | 'unauthorized'
  | 'rate_limited'
  | 'server_error'
  | 'bad_content_type'
  | 'bad_json'
  | 'invalid_profile'
  /** A 200 answer about another user than the one asked for (record matching). */
  | 'identity_mismatch'
  | 'circuit_open'
  | 'network'
  /** Palaver was shutting down; says nothing about the site. */
  | 'shutdown';

/** A call to a site's endpoint failed; `message` never contains secrets or the body. */
export class OutboundError extends Error {
  override name = 'OutboundError';
  constructor(
    readonly errorClass: OutboundErrorClass,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** What a failed guarded request threw, as an OutboundError (anything else: a network failure). */
export function requestFailure(error: unknown): OutboundError {
  return error instanceof OutboundError
    ? error
    : new OutboundError('network', 'The request failed before an answer arrived');
}
