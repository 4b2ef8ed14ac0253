import type { Logger } from '../logger.js';
import { newId } from '../ids.js';
import {
  OutboundError,
  type GuardedHttpClient,
  type OutboundErrorClass,
} from '../outbound/index.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, type SigningService } from '../signing/index.js';
import type { AttemptOutcome, ClaimedDelivery, Store } from '../store/index.js';
import { answerExcerpt } from './excerpt.js';
import { RETRY_WINDOW_MS, type WebhookOutbox } from './outbox.js';

const DEADLINE_MS = 10_000;
/** Receivers answer "ok": more than this is not read (and the attempt fails as too large). */
const MAX_ANSWER_BYTES = 64 * 1024;
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_CAP_MS = 3_600_000;
/** How long the delivery log keeps ended deliveries. */
const KEEP_MS = 30 * 24 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;
/**
 * How long deliveries written here gather before a claim, and outcomes before they are recorded:
 * a busy chat writes one delivery per message, and a claim and a record for each would put two
 * more transactions beside every message's. Small against the second an event may take.
 */
const GATHER_MS = 20;
export const DISABLED_EVENT = 'webhook.disabled';

/** How many deliveries per attempt slot are claimed ahead and kept queued in memory. */
const QUEUED_PER_SLOT = 4;

/** One subscription's attempts here: how many run, and the claimed ones waiting their turn. */
interface SubscriptionQueue {
  running: number;
  waiting: { delivery: ClaimedDelivery; claimedAt: number }[];
}

export interface DispatcherOptions {
  store: Store;
  client: GuardedHttpClient;
  signing: SigningService;
  outbox: WebhookOutbox;
  logger: Logger;
  now?: () => Date;
  random?: () => number;
  /** How long a claim is held: past it, another instance may attempt the delivery again. */
  leaseMs?: number;
  /** The whole attempt: connect, answer and body (default 10 s). */
  deadlineMs?: number;
  /** How often it looks for due deliveries without being woken (retries, other instances). */
  pollMs?: number;
  /** Attempts in flight in this process… */
  maxInFlight?: number;
  /** …and for one subscription, so that a slow receiver holds only its own share. */
  maxPerSubscription?: number;
}

/**
 * Delivers the outbox: claims due deliveries with a lease (on PostgreSQL `FOR UPDATE SKIP
 * LOCKED`, so one instance attempts each), signs and POSTs them through the guarded client, and
 * records the outcome: delivered on a 2xx; otherwise retried with exponential backoff and full
 * jitter until a day after the event, then failed. A subscription with no success for a day is
 * disabled and the admins are told. It runs off the request path: woken when deliveries are
 * written here, polling for the rest.
 */
export class WebhookDispatcher {
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxInFlight: number;
  private readonly maxPerSubscription: number;
  private readonly queues = new Map<string, SubscriptionQueue>();
  private inFlight = 0;
  private queuedCount = 0;
  private running = false;
  private stopped = true;
  private again = false;
  /** Whether the last claim may have left due deliveries behind (a full claim, a busy one). */
  private backlog = false;
  private gathering: NodeJS.Timeout | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pruner: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private idle: (() => void) | null = null;
  private recording: {
    delivery: ClaimedDelivery;
    outcome: AttemptOutcome;
    resolve: () => void;
    reject: (error: unknown) => void;
  }[] = [];

  constructor(private readonly o: DispatcherOptions) {
    this.now = o.now ?? (() => new Date());
    this.random = o.random ?? Math.random;
    // The 10 s deadline and a margin to record the outcome: past it the attempt is surely over.
    this.leaseMs = o.leaseMs ?? 15_000;
    this.pollMs = o.pollMs ?? 1_000;
    this.maxInFlight = o.maxInFlight ?? 64;
    this.maxPerSubscription = o.maxPerSubscription ?? 8;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.o.outbox.onWritten(() => this.gather());
    this.wake();
    this.pruner = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pruner.unref();
    void this.prune();
  }

  /**
   * The outbox keeps a month of ended deliveries for the log, and drops the rows a subscription
   * deleted on another instance got in the moment before this one heard of it.
   */
  private async prune(): Promise<void> {
    const before = new Date(this.now().getTime() - KEEP_MS).toISOString();
    try {
      await this.o.store.webhooks.prune(before);
    } catch (error) {
      this.o.logger.warn(
        { err: error },
        'pruning old webhook deliveries failed; retried in an hour',
      );
    }
  }

  /** Claims nothing more; resolves once the attempts in flight have ended. */
  stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    if (this.gathering) clearTimeout(this.gathering);
    if (this.pruner) clearInterval(this.pruner);
    // Claimed but not started: another instance (or this one, restarted) may take them at once.
    const queued = [...this.queues.values()].flatMap((q) => q.waiting.splice(0));
    this.queuedCount = 0;
    const released = this.release(queued.map((q) => q.delivery.id));
    const idle =
      this.inFlight === 0 && !this.running
        ? Promise.resolve()
        : new Promise<void>((resolve) => (this.idle = resolve));
    return Promise.all([released, idle]).then(() => undefined);
  }

  /** Looks for due deliveries now. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.fill()
      .catch((error: unknown) => this.o.logger.warn({ err: error }, 'webhook claim failed'))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.wake();
        } else {
          this.schedule();
        }
        this.settled();
      });
  }

  /** Wakes up shortly, once for all the deliveries written meanwhile. */
  private gather(): void {
    if (this.stopped || this.gathering) return;
    this.gathering = setTimeout(() => {
      this.gathering = null;
      this.wake();
    }, GATHER_MS);
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), this.pollMs);
    this.timer.unref();
  }

  private settled(): void {
    if (this.stopped && this.inFlight === 0 && !this.running) this.idle?.();
  }

  /**
   * Claims as much as there is room for, queued per subscription, and starts what its share
   * allows. A subscription's queue is claimed ahead (up to QUEUED_PER_SLOT × its share) so that
   * an attempt ending starts the next from memory: a claim per attempt scanned the outbox once
   * per delivery, which was most of the cost of a steady stream of events.
   */
  private async fill(): Promise<void> {
    while (!this.stopped && this.held() < this.maxInFlight * QUEUED_PER_SLOT) {
      const busy = [...this.queues]
        .filter(
          ([, q]) => q.running + q.waiting.length >= this.maxPerSubscription * QUEUED_PER_SLOT,
        )
        .map(([id]) => id);
      const now = this.now();
      // At most one subscription's worth at a time: a claim does not queue more for one than
      // its share gets through before the leases run short.
      const limit = Math.min(
        this.maxPerSubscription * QUEUED_PER_SLOT,
        this.maxInFlight * QUEUED_PER_SLOT - this.held(),
      );
      const claimed = await this.o.store.webhooks.claim({
        now: now.toISOString(),
        leaseUntil: new Date(now.getTime() + this.leaseMs).toISOString(),
        limit,
        busy,
      });
      // Less than room for and no subscription held back: all that was due is under way, but
      // for deliveries waiting on an earlier one of their conversation.
      const drained = claimed.length < limit && busy.length === 0;
      this.backlog = !drained;
      if (this.stopped) {
        // Stopped while claiming: none of these will be attempted here.
        await this.release(claimed.map((d) => d.id));
        return;
      }
      const claimedAt = now.getTime();
      for (const delivery of claimed) {
        this.queueOf(delivery.subscriptionId).waiting.push({ delivery, claimedAt });
        this.queuedCount++;
      }
      this.pumpAll();
      if (drained || claimed.length === 0) return;
    }
  }

  /** Deliveries claimed here: in flight and queued. */
  private held(): number {
    return this.inFlight + this.queuedCount;
  }

  private queueOf(subscriptionId: string): SubscriptionQueue {
    let queue = this.queues.get(subscriptionId);
    if (!queue) this.queues.set(subscriptionId, (queue = { running: 0, waiting: [] }));
    return queue;
  }

  /** Starts queued deliveries as far as each subscription's share and the total allow. */
  private pumpAll(): void {
    for (const id of [...this.queues.keys()]) this.pump(id);
  }

  private pump(subscriptionId: string): void {
    const queue = this.queues.get(subscriptionId);
    if (!queue || this.stopped) return;
    const staleBefore = this.now().getTime() - this.leaseMs / 2;
    while (
      queue.running < this.maxPerSubscription &&
      this.inFlight < this.maxInFlight &&
      queue.waiting.length > 0
    ) {
      const { delivery, claimedAt } = queue.waiting.shift()!;
      this.queuedCount--;
      // Half its lease gone waiting (a slow receiver ahead of it): handed back rather than
      // risk another instance attempting it too.
      if (claimedAt < staleBefore) {
        void this.release([delivery.id]);
        continue;
      }
      queue.running++;
      this.inFlight++;
      void this.attempt(delivery).finally(() => this.ended(subscriptionId, queue));
    }
    if (queue.running === 0 && queue.waiting.length === 0) this.queues.delete(subscriptionId);
  }

  private ended(subscriptionId: string, queue: SubscriptionQueue): void {
    queue.running--;
    this.inFlight--;
    if (this.stopped) {
      this.settled();
      return;
    }
    const more = queue.waiting.length > 0;
    this.pump(subscriptionId);
    if (this.inFlight < this.maxInFlight) this.pumpAll();
    // With its queue empty the subscription needs a claim: at once when the last one left more
    // behind; otherwise a while later, for all attempts ending meanwhile (the next delivery of
    // a conversation may have waited for this one's outcome).
    if (!more) {
      if (this.backlog) this.wake();
      else this.gather();
    }
  }

  private release(ids: string[]): Promise<void> {
    return this.o.store.webhooks
      .release(ids)
      .catch((error: unknown) =>
        this.o.logger.warn({ err: error }, 'webhook release failed; the lease runs out instead'),
      );
  }

  private async attempt(d: ClaimedDelivery): Promise<void> {
    try {
      const outcome = await this.send(d);
      if (!outcome) {
        await this.o.store.webhooks.release([d.id]);
        return;
      }
      await this.record(d, outcome);
      if (outcome.status !== 'delivered') await this.disableIfFailing(d, outcome.at);
    } catch (error) {
      // The lease runs out and the delivery is attempted again: nothing is lost.
      this.o.logger.warn({ err: error, deliveryId: d.id }, 'webhook attempt not recorded');
    }
  }

  /**
   * Outcomes that end together (in one turn of the event loop with a backlog, else within
   * GATHER_MS) are written in one transaction: one commit per attempt was most of the
   * dispatcher's cost (bench/webhooks.ts).
   */
  private record(delivery: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
    return new Promise((resolve, reject) => {
      this.recording.push({ delivery, outcome, resolve, reject });
      if (this.recording.length > 1) return;
      // With a backlog the attempt's slot is wanted back at once, and outcomes gather anyway.
      if (this.backlog) setImmediate(() => void this.flushRecords());
      else setTimeout(() => void this.flushRecords(), GATHER_MS);
    });
  }

  private async flushRecords(): Promise<void> {
    const batch = this.recording;
    this.recording = [];
    try {
      await this.o.store.webhooks.recordAttempts(batch);
      for (const item of batch) item.resolve();
      // An outcome may let the next delivery of its conversation go.
      this.gather();
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }

  /** The attempt's outcome; null when Palaver is shutting down (it says nothing of the site). */
  private async send(d: ClaimedDelivery): Promise<AttemptOutcome | null> {
    const started = performance.now();
    let status: number | null = null;
    let errorClass: OutboundErrorClass | null = null;
    let excerpt: string | null = null;
    try {
      const response = await this.o.client.request({
        url: new URL(d.url),
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Palaver-Webhooks/1',
          [SIGNATURE_HEADER]: await this.o.signing.sign(d.projectId, d.body),
          [EVENT_ID_HEADER]: d.eventId,
          'Palaver-Event-Type': d.eventType,
        },
        body: d.body,
        deadlineMs: this.o.deadlineMs ?? DEADLINE_MS,
        maxBytes: MAX_ANSWER_BYTES,
      });
      status = response.status;
      excerpt = answerExcerpt(response.body);
      errorClass = statusClass(status);
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      if (error.errorClass === 'shutdown') return null;
      errorClass = error.errorClass;
    }
    const latencyMs = Math.round(performance.now() - started);
    const at = this.now();
    const common = { at: at.toISOString(), responseStatus: status, latencyMs, excerpt };
    if (errorClass === null) {
      return { ...common, status: 'delivered', nextAttemptAt: null, errorClass: null };
    }
    const next = at.getTime() + this.backoff(d.attempts);
    if (next >= Date.parse(d.giveUpAt)) {
      return { ...common, status: 'failed', nextAttemptAt: null, errorClass };
    }
    return {
      ...common,
      status: 'retrying',
      nextAttemptAt: new Date(next).toISOString(),
      errorClass,
    };
  }

  /** Full jitter: a random wait in [0, min(cap, base · 2^attempt)), at least a second. */
  private backoff(attemptsBefore: number): number {
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attemptsBefore);
    return Math.max(1_000, Math.floor(this.random() * ceiling));
  }

  private async disableIfFailing(d: ClaimedDelivery, at: string): Promise<void> {
    const failingBefore = new Date(Date.parse(at) - RETRY_WINDOW_MS).toISOString();
    const disabled = await this.o.store.webhooks.disableFailing(
      d.subscriptionId,
      failingBefore,
      at,
      {
        id: newId('evt'),
        type: DISABLED_EVENT,
        payload: { subscriptionId: d.subscriptionId, url: d.url, reason: 'failing' },
      },
    );
    if (!disabled) return;
    this.o.logger.error(
      { projectId: d.projectId, subscriptionId: d.subscriptionId },
      'webhook disabled: no delivery succeeded for a day; fix the receiver and enable it again in Settings → Webhooks',
    );
    await this.o.outbox.changed(d.projectId);
  }
}

/** Null for a 2xx; redirects are not followed, so a 3xx is a failure like any other. */
function statusClass(status: number): OutboundErrorClass | null {
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) return 'redirect';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'bad_status';
}
