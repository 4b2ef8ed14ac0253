import type { FetchAttempt, FetchOutcome, FetchTrigger } from '../../protocol/index.js';

export type Tone = 'good' | 'info' | 'warn' | 'bad';

/** How each outcome reads in chips and filters; the tone picks the chip colour. */
export const OUTCOMES: Record<FetchOutcome, { label: string; tone: Tone }> = {
  ok: { label: 'OK', tone: 'good' },
  not_found: { label: 'Not found (new user)', tone: 'info' },
  unauthorized: { label: 'Unauthorized', tone: 'bad' },
  rate_limited: { label: 'Rate limited', tone: 'warn' },
  server_error: { label: 'Server error', tone: 'bad' },
  timeout: { label: 'Timeout', tone: 'bad' },
  network_error: { label: 'Network error', tone: 'bad' },
  blocked: { label: 'Blocked address', tone: 'bad' },
  config_error: { label: 'Configuration error', tone: 'bad' },
  invalid_response: { label: 'Invalid answer', tone: 'bad' },
  identity_mismatch: { label: 'Another user’s record', tone: 'bad' },
  circuit_open: { label: 'Paused (circuit open)', tone: 'warn' },
  invalid_id: { label: 'Invalid user id', tone: 'warn' },
};

export const OUTCOME_ORDER = Object.keys(OUTCOMES) as FetchOutcome[];

export const TRIGGERS: Record<FetchTrigger, string> = {
  session: 'Session start',
  identify: 'Identify',
  refresh: 'Refresh',
  test: 'Test',
};

/** The outcomes after which a contact's stored profile is current (a 404 is a new profile). */
export function isSuccess(outcome: FetchOutcome): boolean {
  return outcome === 'ok' || outcome === 'not_found';
}

/** "returned 503", "timed out", … — completes "Acme API …". */
export function failurePhrase(attempt: Pick<FetchAttempt, 'outcome' | 'httpStatus'>): string {
  const status = attempt.httpStatus;
  switch (attempt.outcome) {
    case 'timeout':
      return 'did not answer within 10 s';
    case 'network_error':
      return 'could not be reached';
    case 'blocked':
      return 'is at an address Palaver may not call';
    case 'invalid_response':
      return status === null
        ? 'sent an unusable answer'
        : `returned ${status} with an invalid answer`;
    case 'identity_mismatch':
      return 'answered with another user’s record, so nothing was stored';
    case 'circuit_open':
      return 'is paused after repeated failures';
    case 'rate_limited':
      return status === null ? 'asked Palaver to wait' : `returned ${status} (rate limited)`;
    case 'invalid_id':
      return 'cannot be asked about this user id';
    case 'config_error':
      return status === null ? 'is not configured correctly' : `returned ${status}`;
    default:
      return status === null ? 'failed' : `returned ${status}`;
  }
}
