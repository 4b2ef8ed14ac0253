import type {
  FetchAttempt,
  FetchTrigger,
  IntegrationMapping,
  TestConnectionResult,
} from '../../protocol/index.js';
import type { Announcer } from '../announcer/index.js';
import { newSequencedId } from '../ids.js';
import type { Logger } from '../logger.js';
import type { ContactRecord, Store } from '../store/index.js';
import { attemptFetch, FETCH_DEADLINE_MS, type FetchReport } from './attempt.js';
import { LocalCoordination, type FetchCoordination } from './coordination.js';
import type { GuardedHttpClient } from '../outbound/index.js';
import type { IntegrationService, ResolvedIntegration } from './integration.js';
import { announceContact, announceFetching, storePull } from '../contacts/index.js';
import { contactChangeOutbox, type WebhookOutbox } from '../webhooks/index.js';
import { SiteHealth, wasSkipped } from './site-health.js';

/** Longest a claim on a contact's fetch can outlive a crashed instance. */
const CLAIM_TTL_MS = FETCH_DEADLINE_MS + 5_000;

export interface ProfileFetcherDeps {
  store: Store;
  integrations: IntegrationService;
  client: GuardedHttpClient;
  logger: Logger;
  announcer: Announcer;
  now?: () => number;
  /** Shared with the other instances (Redis); defaults to this process's memory. */
  coordination?: FetchCoordination;
  /** contact.updated webhooks of what a pull changes. */
  webhooks?: WebhookOutbox;
}

/**
 * Fetches contact profiles from the site's user endpoint. Guarantees: one call in flight per
 * (project, user); no call while the contact's profile is fresh (except Refresh and Test); a
 * per-project circuit breaker and Retry-After pause; every attempt logged for admins; the last
 * good profile kept whatever goes wrong; one announcement per fetch, with the profile as agents
 * see it. Callers never wait for the chat's sake: `inBackground` never rejects.
 */
export class ProfileFetcher {
  private readonly inflight = new Map<string, Promise<FetchReport>>();
  private readonly now: () => number;
  private readonly coordination: FetchCoordination;
  private readonly health: SiteHealth;

  constructor(private readonly deps: ProfileFetcherDeps) {
    this.now = deps.now ?? Date.now;
    this.coordination = deps.coordination ?? new LocalCoordination(this.now);
    this.health = new SiteHealth({
      store: deps.store,
      integrations: deps.integrations,
      coordination: this.coordination,
      announcer: deps.announcer,
      logger: deps.logger,
      now: this.now,
      ...(deps.webhooks && { webhooks: deps.webhooks }),
    });
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
   * returned promise (which never rejects) is for tests and shutdown. `integration`: as the
   * session start resolved it.
   */
  inBackground(
    integration: ResolvedIntegration,
    externalUserId: string,
    trigger: FetchTrigger,
  ): Promise<void> {
    return this.ifStale(integration, externalUserId, trigger).catch((error: unknown) => {
      this.deps.logger.error(
        { err: error, projectId: integration.projectId },
        'profile fetch crashed',
      );
    });
  }

  /** The agent's Refresh button: bypasses the freshness window, shares an in-flight call. */
  refresh(integration: ResolvedIntegration, externalUserId: string): Promise<FetchReport> {
    return this.shared(integration, externalUserId, 'refresh');
  }

  /**
   * "Test connection": a real call whose result is shown, logged, and not stored. `mapping`: one
   * being edited, previewed instead of the saved one.
   */
  async test(
    projectId: string,
    externalUserId: string,
    mapping?: IntegrationMapping,
  ): Promise<TestConnectionResult> {
    const saved = await this.deps.integrations.resolve(projectId);
    const integration = mapping ? { ...saved, mapping } : saved;
    const report = await attemptFetch(this.attemptDeps(), integration, externalUserId, 'test', {
      describe: true,
    });
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
      answerShape: report.answerShape?.rows ?? [],
      answerShapeTruncated: report.answerShape?.truncated ?? false,
      match: report.match,
    };
  }

  private attemptDeps() {
    return { client: this.deps.client, coordination: this.coordination, now: this.now };
  }

  private async ifStale(
    integration: ResolvedIntegration,
    externalUserId: string,
    trigger: FetchTrigger,
  ) {
    if (!integration.enabled) return;
    const contact = await this.deps.store.contacts.get(integration.projectId, externalUserId);
    // A skipped attempt (paused project) never asked the site, so it must not make the contact
    // look fresh: otherwise the first session after a pause would fetch nothing.
    const lastAsked =
      contact?.lastAttempt && !wasSkipped(contact.lastAttempt)
        ? contact.lastAttempt.at
        : contact?.fetchedAt;
    const last = lastAsked ? Date.parse(lastAsked) : 0;
    if (this.now() - last < integration.freshnessSeconds * 1000) return;
    await this.shared(integration, externalUserId, trigger);
  }

  private shared(integration: ResolvedIntegration, externalUserId: string, trigger: FetchTrigger) {
    const k = key(integration.projectId, externalUserId);
    let running = this.inflight.get(k);
    if (!running) {
      running = this.run(integration, externalUserId, trigger).finally(() => {
        this.inflight.delete(k);
      });
      this.inflight.set(k, running);
    }
    return running;
  }

  private async run(
    integration: ResolvedIntegration,
    externalUserId: string,
    trigger: FetchTrigger,
  ): Promise<FetchReport> {
    const { projectId } = integration;
    // Across instances, one of them calls the site for a contact; the others' sessions rely on
    // its result, which it announces to every agent over the bus.
    const claim = key(projectId, externalUserId);
    if (!(await this.coordination.claim(claim, CLAIM_TTL_MS))) {
      if (trigger !== 'refresh') return fetchedElsewhere(null);
      return this.afterOtherInstance(projectId, externalUserId, claim);
    }
    let report: FetchReport;
    let contact: ContactRecord | null;
    try {
      await announceFetching(this.deps, projectId, externalUserId).catch((error: unknown) => {
        // Only the "Fetching profile…" hint is lost: the result is announced all the same.
        this.deps.logger.warn({ err: error, projectId }, 'profile fetch announcement failed');
      });
      report = await attemptFetch(this.attemptDeps(), integration, externalUserId, trigger);
      // A call cut off by shutdown says nothing about the site, and the store is about to close.
      if (report.errorClass === 'shutdown') return report;
      contact = await this.settle(integration, externalUserId, trigger, report);
    } finally {
      await this.coordination.release(claim);
    }
    // A test fetch stores nothing, nor does one for a person erased meanwhile: nothing to announce.
    if (!contact) return report;
    await announceContact(this.deps, projectId, contact).catch((error: unknown) => {
      // Consoles showing the contact catch up when they next load it.
      this.deps.logger.warn({ err: error, projectId }, 'profile announcement failed');
    });
    return report;
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
    const contact = await this.deps.store.contacts.get(projectId, externalUserId);
    return fetchedElsewhere(contact?.lastAttempt ?? null);
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
    const message = await this.health.record(projectId, report, nowIso);

    const logId = newSequencedId('ilog');
    await this.deps.store.identity.appendLog({
      projectId,
      id: logId,
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
    const pulled = success
      ? {
          profile: report.parsed?.profile ?? null,
          fetchedAt: nowIso,
          httpStatus: report.httpStatus ?? 200,
          latencyMs: report.latencyMs ?? 0,
        }
      : null;
    const contact = await storePull(
      this.deps.store,
      projectId,
      externalUserId,
      attempt,
      pulled,
      integration.onNotFound,
      await contactChangeOutbox(this.deps.webhooks, projectId, () => nowIso),
    );
    this.deps.webhooks?.written();
    if (!contact) {
      // The person was erased while the call was in flight. The erase deleted their log entries;
      // this one, written before or after it, must not outlive it.
      await this.deps.store.identity.removeLog(projectId, logId);
      this.deps.logger.info({ projectId, trigger }, 'identity fetch discarded: contact erased');
    }
    return contact;
  }
}

function key(projectId: string, externalUserId: string): string {
  return `${projectId}\u0000${externalUserId}`;
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
    match: null,
    answerShape: null,
  };
}
