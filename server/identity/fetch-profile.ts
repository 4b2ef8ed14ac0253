import { performance } from 'node:perf_hooks';
import type {
  FetchAttempt,
  FetchOutcome,
  FetchTrigger,
  TestConnectionResult,
} from '../../protocol/index.js';
import { newId } from '../ids.js';
import type { Logger } from '../logger.js';
import type { ContactRecord, FetchedProfile, IntegrationRecord, Store } from '../store/index.js';
import { LocalCoordination, type FetchCoordination } from './coordination.js';
import { IdentityFetchError, type FetchErrorClass } from './errors.js';
import type { GuardedHttpClient } from './guard.js';
import type { IntegrationService, ResolvedIntegration } from './integration.js';
import { parseProfileAnswer, ProfileValidationError, type ParsedProfile } from './parse.js';
import { buildEndpointUrl } from './url.js';

/** The contract's hard deadline for one call: connect, headers and the whole body. */
export const FETCH_DEADLINE_MS = 10_000;
/** Bodies above this are refused, compressed or not. */
export const MAX_ANSWER_BYTES = 256 * 1024;
export const BREAKER_THRESHOLD = 5;
export const BREAKER_PAUSE_MS = 30_000;
/** Longest a claim on a contact's fetch can outlive a crashed instance. */
const CLAIM_TTL_MS = FETCH_DEADLINE_MS + 5_000;
/** The longest Retry-After we honour; a site asking for more is probably misconfigured. */
const RETRY_AFTER_CAP_MS = 15 * 60_000;
const RETRY_AFTER_DEFAULT_MS = 60_000;

export interface FetchReport {
  outcome: FetchOutcome;
  errorClass: FetchErrorClass | null;
  httpStatus: number | null;
  latencyMs: number | null;
  message: string;
  url: string;
  parsed: ParsedProfile | null;
  invalidFields: string[];
}

export interface ProfileFetcherDeps {
  store: Store;
  integrations: IntegrationService;
  client: GuardedHttpClient;
  logger: Logger;
  /** A contact's profile or fetch state changed: tell the agents who look at it. */
  contactChanged(projectId: string, externalUserId: string): Promise<void>;
  now?: () => number;
  /** Shared with the other instances (Redis); defaults to this process's memory. */
  coordination?: FetchCoordination;
}

const FAILURE_MESSAGES: Partial<Record<FetchOutcome, string>> = {
  not_found: 'The site does not know this user: showing a new profile with only the id',
  unauthorized: "The site refused Palaver's credentials: check the integration's headers",
};

/**
 * What one attempt says about the site as a whole, for the project-wide breaker and health:
 * `up` (it answered as the contract says), `down` (unreachable, failing or misconfigured), or
 * nothing (`null`): an attempt that never reached it, or an outcome about one user's id or data.
 * A per-user outcome neither counts towards the breaker nor resets a run of site failures: the
 * site did answer, but not in a way that shows it works, and a few visitors' bad ids or records
 * must neither pause everyone's fetches nor hide an outage.
 */
function siteVerdict(report: FetchReport): 'up' | 'down' | null {
  switch (report.outcome) {
    case 'ok':
    case 'not_found':
      return 'up';
    case 'invalid_id':
    case 'invalid_response':
    case 'circuit_open':
      return null;
    case 'rate_limited':
      return report.httpStatus === null ? null : 'down';
    default:
      return 'down';
  }
}

/**
 * Fetches contact profiles from the site's user endpoint. Guarantees: one call in flight per
 * (project, user); no call while the contact's profile is fresh (except Refresh and Test); a
 * per-project circuit breaker and Retry-After pause; every attempt logged for admins; the last
 * good profile kept whatever goes wrong. Callers never wait for the chat's sake: `inBackground`
 * never rejects.
 */
export class ProfileFetcher {
  private readonly inflight = new Map<string, Promise<FetchReport>>();
  private readonly now: () => number;
  private readonly coordination: FetchCoordination;

  constructor(private readonly deps: ProfileFetcherDeps) {
    this.now = deps.now ?? Date.now;
    this.coordination = deps.coordination ?? new LocalCoordination(this.now);
  }

  isPending(projectId: string, externalUserId: string): boolean {
    return this.inflight.has(key(projectId, externalUserId));
  }

  /** When attempts for this project may resume, if they are paused now. */
  async pausedUntil(projectId: string): Promise<Date | null> {
    const paused = await this.coordination.paused(projectId, this.now());
    return paused ? new Date(paused.until) : null;
  }

  /**
   * Session start and identify: fetch if the profile is stale. The chat does not wait for it; the
   * returned promise (which never rejects) is for tests and shutdown.
   */
  inBackground(projectId: string, externalUserId: string, trigger: FetchTrigger): Promise<void> {
    return this.ifStale(projectId, externalUserId, trigger).catch((error: unknown) => {
      this.deps.logger.error({ err: error, projectId }, 'profile fetch crashed');
    });
  }

  /** The agent's Refresh button: bypasses the freshness window, shares an in-flight call. */
  refresh(projectId: string, externalUserId: string): Promise<FetchReport> {
    return this.shared(projectId, externalUserId, 'refresh');
  }

  /** "Test connection": a real call whose result is shown, logged, and not stored. */
  async test(projectId: string, externalUserId: string): Promise<TestConnectionResult> {
    const integration = await this.deps.integrations.resolve(projectId);
    const report = await this.call(integration, externalUserId, 'test');
    if (report.errorClass !== 'shutdown') {
      await this.settle(integration, externalUserId, 'test', report);
    }
    return {
      outcome: report.outcome,
      httpStatus: report.httpStatus,
      latencyMs: report.latencyMs,
      message: report.message,
      url: report.url,
      profile: report.parsed?.profile ?? null,
      shape: report.parsed?.shape ?? null,
      invalidFields: report.invalidFields,
      droppedPii: (report.parsed?.droppedPii ?? []).map((d) => ({ path: d.key, reason: d.reason })),
      unknownFields: report.parsed?.unknownFields ?? [],
      warnings: report.parsed?.warnings ?? [],
    };
  }

  private async ifStale(projectId: string, externalUserId: string, trigger: FetchTrigger) {
    const integration = await this.deps.integrations.resolve(projectId);
    if (!integration.enabled) return;
    const contact = await this.deps.store.identity.getContact(projectId, externalUserId);
    // A skipped attempt (paused project) never asked the site, so it must not make the contact
    // look fresh: otherwise the first session after a pause would fetch nothing.
    const lastAsked =
      contact?.lastAttempt && !wasSkipped(contact.lastAttempt)
        ? contact.lastAttempt.at
        : contact?.fetchedAt;
    const last = lastAsked ? Date.parse(lastAsked) : 0;
    if (this.now() - last < integration.freshnessSeconds * 1000) return;
    await this.shared(projectId, externalUserId, trigger, integration);
  }

  /** `resolved`: the integration the caller has just read, so that it is not read twice. */
  private shared(
    projectId: string,
    externalUserId: string,
    trigger: FetchTrigger,
    resolved?: ResolvedIntegration,
  ) {
    const k = key(projectId, externalUserId);
    let running = this.inflight.get(k);
    if (!running) {
      running = this.run(projectId, externalUserId, trigger, resolved).finally(() => {
        this.inflight.delete(k);
        void this.deps.contactChanged(projectId, externalUserId).catch(() => undefined);
      });
      this.inflight.set(k, running);
      void this.deps.contactChanged(projectId, externalUserId).catch(() => undefined);
    }
    return running;
  }

  private async run(
    projectId: string,
    externalUserId: string,
    trigger: FetchTrigger,
    resolved: ResolvedIntegration | undefined,
  ): Promise<FetchReport> {
    // Across instances, one of them calls the site for a contact; the others' sessions rely on
    // its result, which reaches every agent over the bus.
    const claim = key(projectId, externalUserId);
    if (!(await this.coordination.claim(claim, CLAIM_TTL_MS))) {
      if (trigger !== 'refresh') return fetchedElsewhere(null);
      return this.afterOtherInstance(projectId, externalUserId, claim);
    }
    try {
      const integration = resolved ?? (await this.deps.integrations.resolve(projectId));
      const report = await this.call(integration, externalUserId, trigger);
      // A call cut off by shutdown says nothing about the site, and the store is about to close.
      if (report.errorClass !== 'shutdown') {
        await this.settle(integration, externalUserId, trigger, report);
      }
      return report;
    } finally {
      await this.coordination.release(claim);
    }
  }

  /** A Refresh while another instance fetches: wait for its result rather than call again. */
  private async afterOtherInstance(
    projectId: string,
    externalUserId: string,
    claim: string,
  ): Promise<FetchReport> {
    const deadline = Date.now() + CLAIM_TTL_MS;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (await this.coordination.claim(claim, 1)) break;
    }
    await this.coordination.release(claim);
    const contact = await this.deps.store.identity.getContact(projectId, externalUserId);
    return fetchedElsewhere(contact?.lastAttempt ?? null);
  }

  /** One attempt, classified. Never throws. */
  private async call(
    integration: ResolvedIntegration,
    externalUserId: string,
    trigger: FetchTrigger,
  ): Promise<FetchReport> {
    const base = { url: '', parsed: null, invalidFields: [], httpStatus: null, latencyMs: null };
    if (!integration.enabled && trigger !== 'test') {
      return {
        ...base,
        outcome: 'config_error',
        errorClass: 'config',
        message: 'The integration is off',
      };
    }
    const pause =
      trigger === 'test' ? null : await this.coordination.paused(integration.projectId, this.now());
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
        error instanceof IdentityFetchError
          ? error
          : new IdentityFetchError('config', 'The endpoint URL cannot be parsed; check it');
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
      const response = await this.deps.client.request({
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
      if (status === 200) {
        try {
          const parsed = parseProfileAnswer(
            response.headers['content-type'],
            response.body,
            externalUserId,
          );
          return {
            ...at,
            outcome: 'ok',
            errorClass: null,
            message: `HTTP 200 in ${latencyMs} ms`,
            parsed,
          };
        } catch (error) {
          if (!(error instanceof ProfileValidationError)) throw error;
          return {
            ...at,
            outcome: 'invalid_response',
            errorClass: error.kind,
            message: error.message,
            invalidFields: error.fields,
          };
        }
      }
      // A data-sync endpoint answers 400 {"status":"bad_request"} for a user it cannot resolve.
      if (status === 404 || status === 410 || (post && status === 400)) {
        return {
          ...at,
          outcome: 'not_found',
          errorClass: null,
          message: FAILURE_MESSAGES.not_found!,
        };
      }
      if (status === 401 || status === 403) {
        return {
          ...at,
          outcome: 'unauthorized',
          errorClass: 'unauthorized',
          message: `HTTP ${status}: ${FAILURE_MESSAGES.unauthorized!}`,
        };
      }
      if (status === 429) {
        const wait = retryAfterMs(response.headers['retry-after'], this.now());
        await this.coordination.pause(integration.projectId, 'retry_after', this.now() + wait);
        return {
          ...at,
          outcome: 'rate_limited',
          errorClass: 'rate_limited',
          message: `HTTP 429: the site asked to wait ${Math.round(wait / 1000)} s`,
        };
      }
      if (status >= 500) {
        return {
          ...at,
          outcome: 'server_error',
          errorClass: 'server_error',
          message: `The site answered HTTP ${status}`,
        };
      }
      if (status >= 300 && status < 400) {
        return {
          ...at,
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
          ...at,
          outcome: 'invalid_response',
          errorClass: 'bad_status',
          message: `HTTP ${status} for this user; ${allowed}`,
        };
      }
      return {
        ...at,
        outcome: 'config_error',
        errorClass: 'bad_status',
        message: `Unexpected HTTP ${status}; ${allowed}`,
      };
    } catch (error) {
      const e =
        error instanceof IdentityFetchError
          ? error
          : new IdentityFetchError('network', 'The request failed before an answer arrived');
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

  /** Stores what the attempt means for the contact, the project's health and the log. */
  private async settle(
    integration: ResolvedIntegration,
    externalUserId: string,
    trigger: FetchTrigger,
    report: FetchReport,
  ): Promise<ContactRecord | null> {
    const { projectId } = integration;
    const nowIso = new Date(this.now()).toISOString();
    const success = report.outcome === 'ok' || report.outcome === 'not_found';
    // Only the site's own state moves the breaker and health: otherwise any visitor claiming
    // ".." five times, or five users the site has bad records for, would pause every fetch.
    const verdict = siteVerdict(report);
    const message =
      verdict === null
        ? report.message
        : ((await this.updateBreaker(projectId, verdict === 'up')) ?? report.message);
    if (verdict !== null) {
      await this.updateHealth(projectId, verdict === 'up', report, nowIso, message);
    }

    await this.deps.store.identity.appendLog({
      projectId,
      id: logId(),
      at: nowIso,
      externalUserId,
      trigger,
      outcome: report.outcome,
      httpStatus: report.httpStatus,
      latencyMs: report.latencyMs,
      errorClass: report.errorClass,
      message,
      invalidFields: report.invalidFields,
      droppedPii: (report.parsed?.droppedPii ?? []).map((d) => ({ path: d.key, reason: d.reason })),
    });
    this.deps.logger[success ? 'info' : 'warn'](
      {
        projectId,
        trigger,
        outcome: report.outcome,
        errorClass: report.errorClass,
        httpStatus: report.httpStatus,
        latencyMs: report.latencyMs,
        endpoint: report.url,
      },
      'identity fetch',
    );
    if (trigger === 'test') return null;
    const attempt: FetchAttempt = {
      at: nowIso,
      outcome: report.outcome,
      httpStatus: report.httpStatus,
      latencyMs: report.latencyMs,
      message,
    };
    const fetched: FetchedProfile | null = success
      ? {
          profile: report.parsed?.profile ?? null,
          fetchedAt: nowIso,
          httpStatus: report.httpStatus ?? 200,
          latencyMs: report.latencyMs ?? 0,
        }
      : null;
    return this.deps.store.identity.recordAttempt(projectId, externalUserId, attempt, fetched);
  }

  /** Returns a message to log when the breaker opens. */
  private async updateBreaker(projectId: string, success: boolean): Promise<string | null> {
    if (success) {
      await this.coordination.success(projectId);
      return null;
    }
    const failures = await this.coordination.failure(projectId);
    if (failures < BREAKER_THRESHOLD) return null;
    await this.coordination.pause(projectId, 'breaker', this.now() + BREAKER_PAUSE_MS);
    return `${BREAKER_THRESHOLD} failures in a row: pausing attempts for ${BREAKER_PAUSE_MS / 1000} s`;
  }

  private async updateHealth(
    projectId: string,
    success: boolean,
    report: FetchReport,
    at: string,
    message: string,
  ): Promise<void> {
    const record: IntegrationRecord = await this.deps.integrations.record(projectId);
    const health = record.health;
    await this.deps.store.identity.saveHealth(
      projectId,
      success
        ? { status: 'healthy', failingSince: null, lastSuccessAt: at, lastError: health.lastError }
        : {
            status: 'failing',
            failingSince: health.status === 'failing' ? health.failingSince : at,
            lastSuccessAt: health.lastSuccessAt,
            lastError: { at, outcome: report.outcome, httpStatus: report.httpStatus, message },
          },
    );
  }
}

/** An attempt that did not call the site because attempts for the project were paused. */
function wasSkipped(attempt: { outcome: FetchOutcome; httpStatus: number | null }): boolean {
  return (
    attempt.outcome === 'circuit_open' ||
    (attempt.outcome === 'rate_limited' && attempt.httpStatus === null)
  );
}

let logSeq = 0;
/**
 * Log ids sort in the order entries were written: the log lists newest first by time, then id,
 * and attempts within one millisecond (a burst of paused attempts) must not come out shuffled.
 */
function logId(): string {
  logSeq = (logSeq + 1) % 36 ** 6;
  return newId(`ilog_${logSeq.toString(36).padStart(6, '0')}`);
}

function key(projectId: string, externalUserId: string): string {
  return `${projectId}\u0000${externalUserId}`;
}

function outcomeOf(errorClass: FetchErrorClass): FetchOutcome {
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

/** The report of a fetch another instance made (or is making): what the contact last showed. */
function fetchedElsewhere(attempt: FetchAttempt | null): FetchReport {
  return {
    outcome: attempt?.outcome ?? 'ok',
    errorClass: null,
    httpStatus: attempt?.httpStatus ?? null,
    latencyMs: attempt?.latencyMs ?? null,
    message: attempt?.message ?? 'Fetched by another instance',
    url: '',
    parsed: null,
    invalidFields: [],
  };
}
