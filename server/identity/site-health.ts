import type { FetchOutcome } from '../../protocol/index.js';
import type { Store } from '../store/index.js';
import type { FetchReport } from './attempt.js';
import type { FetchCoordination } from './coordination.js';
import type { IntegrationService } from './integration.js';

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

/**
 * A project's view of its site: the circuit breaker (shared by instances through the
 * coordination) and the health admins see in Settings.
 */
export class SiteHealth {
  constructor(
    private readonly store: Store,
    private readonly integrations: IntegrationService,
    private readonly coordination: FetchCoordination,
    private readonly now: () => number,
  ) {}

  /**
   * Counts the attempt towards the breaker and the health, when it says something about the
   * site. Returns the message to log: the attempt's own, or why attempts are now paused.
   */
  async record(projectId: string, report: FetchReport, at: string): Promise<string> {
    // Only the site's own state moves the breaker and health: otherwise any visitor claiming
    // ".." five times, or five users the site has bad records for, would pause every fetch.
    const verdict = siteVerdict(report);
    if (verdict === null) return report.message;
    const message = (await this.updateBreaker(projectId, verdict === 'up')) ?? report.message;
    await this.updateHealth(projectId, verdict === 'up', report, at, message);
    return message;
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
    const { health } = await this.integrations.record(projectId);
    await this.store.identity.saveHealth(
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
