/** Why an identity fetch did not produce a profile; stable values shown in the integration log. */
export type FetchErrorClass =
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

/** An outbound call to a site endpoint failed; `message` never contains secrets or the body. */
export class IdentityFetchError extends Error {
  override name = 'IdentityFetchError';
  constructor(
    readonly errorClass: FetchErrorClass,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
