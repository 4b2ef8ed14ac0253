import { performance } from 'node:perf_hooks';
import type { FetchOutcome, FetchTrigger, RecordMatch } from '../../protocol/index.js';
import type { DescribedAnswer } from './answer-shape.js';
import { classifyStatus, outcomeOf } from './classify.js';
import type { FetchCoordination } from './coordination.js';
import { OutboundError, requestFailure, type OutboundErrorClass } from '../outbound/index.js';
import type { GuardedHttpClient } from '../outbound/index.js';
import type { ResolvedIntegration } from './integration.js';
import { parseProfileAnswer, ProfileValidationError, type ParsedProfile } from './parse.js';
import { BREAKER_THRESHOLD } from './site-health.js';
import { buildEndpointUrl } from './url.js';

/** The contract's hard deadline for one call: connect, headers and the whole body. */
export const FETCH_DEADLINE_MS = 10_000;
/** Bodies above this are refused, compressed or not. */
export const MAX_ANSWER_BYTES = 256 * 1024;

export interface FetchReport {
  outcome: FetchOutcome;
  errorClass: OutboundErrorClass | null;
  httpStatus: number | null;
  latencyMs: number | null;
  message: string;
  url: string;
  parsed: ParsedProfile | null;
  invalidFields: string[];
  /** Whether a 200 answer was about the requested user; null when none was read. */
  match: RecordMatch | null;
  /** The answer's redacted shape, when the attempt was asked to `describe` it. */
  answerShape: DescribedAnswer | null;
}

export interface AttemptDeps {
  client: GuardedHttpClient;
  coordination: FetchCoordination;
  now: () => number;
}

/**
 * One attempt to fetch a user from the site's endpoint, classified: skipped while the integration
 * is off or attempts are paused (except a Test), else one guarded call. Never throws.
 */
export async function attemptFetch(
  deps: AttemptDeps,
  integration: ResolvedIntegration,
  externalUserId: string,
  trigger: FetchTrigger,
  options: { describe?: boolean } = {},
): Promise<FetchReport> {
  const base = {
    url: '',
    parsed: null,
    invalidFields: [],
    httpStatus: null,
    latencyMs: null,
    match: null,
    answerShape: null,
  };
  if (!integration.enabled && trigger !== 'test') {
    return {
      ...base,
      outcome: 'config_error',
      errorClass: 'config',
      message: 'The integration is off',
    };
  }
  const pause =
    trigger === 'test' ? null : await deps.coordination.paused(integration.projectId, deps.now());
  if (pause) {
    const paused = new Date(pause.until);
    const byBreaker = pause.kind === 'breaker';
    return {
      ...base,
      outcome: byBreaker ? 'circuit_open' : 'rate_limited',
      errorClass: byBreaker ? 'circuit_open' : 'rate_limited',
      message: byBreaker
        ? `Paused after ${BREAKER_THRESHOLD} failures in a row; next attempt after ${paused.toISOString()}`
        : `Waiting for the site's Retry-After until ${paused.toISOString()}`,
    };
  }
  if (!integration.endpoint.url) {
    return {
      ...base,
      outcome: 'config_error',
      errorClass: 'config',
      message: 'Enter the URL of your user endpoint (Settings → API Integration) first',
    };
  }
  let url: URL;
  try {
    url = buildEndpointUrl(integration.endpoint, externalUserId);
  } catch (error) {
    const e =
      error instanceof OutboundError
        ? error
        : new OutboundError('config', 'The endpoint URL cannot be parsed; check it');
    return {
      ...base,
      outcome: e.errorClass === 'invalid_id' ? 'invalid_id' : 'config_error',
      errorClass: e.errorClass,
      message: e.message,
    };
  }
  const shownUrl = `${url.origin}${url.pathname}`;
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    const post = integration.endpoint.method === 'POST';
    const response = await deps.client.request({
      url,
      method: integration.endpoint.method,
      headers: {
        ...Object.fromEntries(integration.headers.map((h) => [h.name, h.value])),
        accept: 'application/json',
        'user-agent': 'Palaver identity handoff',
        ...(post ? { 'content-type': 'application/json' } : {}),
      },
      ...(post ? { body: JSON.stringify({ externalId: externalUserId }) } : {}),
      deadlineMs: FETCH_DEADLINE_MS,
      maxBytes: MAX_ANSWER_BYTES,
    });
    const latencyMs = elapsed();
    const status = response.status;
    const at = { ...base, url: shownUrl, httpStatus: status, latencyMs };
    if (status !== 200) {
      const { pauseMs, ...verdict } = classifyStatus(status, {
        post,
        retryAfter: response.headers['retry-after'],
        now: deps.now(),
      });
      if (pauseMs !== undefined) {
        await deps.coordination.pause(integration.projectId, 'retry_after', deps.now() + pauseMs);
      }
      return { ...at, ...verdict };
    }
    try {
      const parsed = parseProfileAnswer(
        response.headers['content-type'],
        response.body,
        externalUserId,
        integration.mapping,
        options,
      );
      return {
        ...at,
        outcome: 'ok',
        errorClass: null,
        message: `HTTP 200 in ${latencyMs} ms`,
        parsed,
        match: parsed.match,
        answerShape: parsed.answerShape,
      };
    } catch (error) {
      if (!(error instanceof ProfileValidationError)) throw error;
      return {
        ...at,
        outcome: error.kind === 'identity_mismatch' ? 'identity_mismatch' : 'invalid_response',
        errorClass: error.kind,
        message: error.message,
        invalidFields: error.fields,
        match: error.match,
        answerShape: error.shape,
      };
    }
  } catch (error) {
    const e = requestFailure(error);
    return {
      ...base,
      url: shownUrl,
      latencyMs: elapsed(),
      outcome: outcomeOf(e.errorClass),
      errorClass: e.errorClass,
      message: e.message,
    };
  }
}
