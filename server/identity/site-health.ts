import type { FetchOutcome, IntegrationHealth } from '../../protocol/index.js';
import type { Announcer } from '../announcer/index.js';
import { newId } from '../ids.js';
import type { Logger } from '../logger.js';
import type { IntegrationRecord, Store } from '../store/index.js';
import type { FetchReport } from './attempt.js';
import type { FetchCoordination } from './coordination.js';
import type { IntegrationService } from './integration.js';
import type { WebhookOutbox } from '../webhooks/index.js';

export const BREAKER_THRESHOLD = 5;
export const BREAKER_PAUSE_MS = 30_000;

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
    case 'identity_mismatch':
    case 'circuit_open':
      return null;
    case 'rate_limited':
      return report.httpStatus === null ? null : 'down';
    default:
      return 'down';
  }
}

/** An attempt that did not call the site because attempts for the project were paused. */
export function wasSkipped(attempt: { outcome: FetchOutcome; httpStatus: number | null }): boolean {
  return (
    attempt.outcome === 'circuit_open' ||
    (attempt.outcome === 'rate_limited' && attempt.httpStatus === null)
  );
}

export interface SiteHealthDeps {
  store: Store;
  integrations: IntegrationService;
  coordination: FetchCoordination;
  announcer: Announcer;
  logger: Logger;
  now: () => number;
  /** integration.health_changed webhooks, written with the event. */
  webhooks?: WebhookOutbox;
}

/** The event a change of an integration's health is recorded as, for later delivery. */
export const HEALTH_CHANGED_EVENT = 'integration.health_changed';

/**
 * A project's view of its site: the circuit breaker (shared by instances through the
 * coordination) and the health admins see in Settings. A change of health status, or the
 * breaker opening, is recorded as a project event and announced to admins at once: an
 * integration that starts failing at night must not wait for someone to open Settings.
 */
export class SiteHealth {
  private readonly store: Store;
  private readonly now: () => number;

  constructor(private readonly deps: SiteHealthDeps) {
    this.store = deps.store;
    this.now = deps.now;
  }

  /**
   * Counts the attempt towards the breaker and the health, when it says something about the
   * site. Returns the message to log: the attempt's own, or why attempts are now paused.
   */
  async record(projectId: string, report: FetchReport, at: string): Promise<string> {
    // Only the site's own state moves the breaker and health: otherwise any visitor claiming
    // ".." five times, or five users the site has bad records for, would pause every fetch.
    const verdict = siteVerdict(report);
    if (verdict === null) return report.message;
    const opened = await this.updateBreaker(projectId, verdict === 'up');
    const message = opened ?? report.message;
    await this.updateHealth(projectId, verdict === 'up', report, at, message, opened !== null);
    return message;
  }

  /** Returns a message to log when the breaker opens. */
  private async updateBreaker(projectId: string, success: boolean): Promise<string | null> {
    const { coordination } = this.deps;
    if (success) {
      await coordination.success(projectId);
      return null;
    }
    const failures = await coordination.failure(projectId);
    if (failures < BREAKER_THRESHOLD) return null;
    await coordination.pause(projectId, 'breaker', this.now() + BREAKER_PAUSE_MS);
    return `${BREAKER_THRESHOLD} failures in a row: pausing attempts for ${BREAKER_PAUSE_MS / 1000} s`;
  }

  private async updateHealth(
    projectId: string,
    success: boolean,
    report: FetchReport,
    at: string,
    message: string,
    breakerOpened: boolean,
  ): Promise<void> {
    const { health } = await this.deps.integrations.record(projectId);
    const next: IntegrationRecord['health'] = success
      ? { status: 'healthy', failingSince: null, lastSuccessAt: at, lastError: health.lastError }
      : {
          status: 'failing',
          failingSince: health.status === 'failing' ? health.failingSince : at,
          lastSuccessAt: health.lastSuccessAt,
          lastError: { at, outcome: report.outcome, httpStatus: report.httpStatus, message },
        };
    const payload = { from: health.status, to: next.status, breakerOpened };
    const subscribers = await this.deps.webhooks?.wants(projectId, [HEALTH_CHANGED_EVENT]);
    const id = newId('evt');
    const deliveries =
      subscribers && this.deps.webhooks
        ? this.deps.webhooks.deliveries(subscribers, {
            id,
            projectId,
            type: HEALTH_CHANGED_EVENT,
            at,
            orderKey: null,
            data: { ...payload, lastError: next.lastError },
          })
        : [];
    const event = { id, projectId, type: HEALTH_CHANGED_EVENT, at, deliveries };
    let changed = false;
    if (next.status === health.status) {
      await this.store.identity.saveHealth(projectId, next);
    } else {
      // Another instance may record the same change at this moment: only one tells the admins.
      changed = await this.store.identity.changeHealth(projectId, health.status, next, {
        ...event,
        payload: { ...payload, lastError: next.lastError },
      });
      if (!changed) await this.store.identity.saveHealth(projectId, next);
    }
    if (breakerOpened && !changed) {
      await this.store.events.appendEvent({
        ...event,
        payload: { ...payload, lastError: next.lastError },
      });
    }
    if (changed || breakerOpened) {
      if (deliveries.length > 0) this.deps.webhooks?.written();
      await this.announce(projectId, health.status, next);
    }
  }

  private async announce(
    projectId: string,
    previous: IntegrationHealth['status'],
    health: IntegrationRecord['health'],
  ): Promise<void> {
    const paused = await this.deps.coordination.paused(projectId, this.now());
    const view: IntegrationHealth = {
      ...health,
      pausedUntil: paused ? new Date(paused.until).toISOString() : null,
    };
    await this.deps.announcer
      .integrationHealthChanged({ projectId, previous, health: view })
      .catch((error: unknown) => {
        // The event row is written: admins see the state when they next open Settings.
        this.deps.logger.warn({ err: error, projectId }, 'health announcement failed');
      });
  }
}
