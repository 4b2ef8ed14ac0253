import type { DeliveryStatus, WebhookEventType } from '../../protocol/index.js';

export interface WebhookRecord {
  id: string;
  projectId: string;
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
  disabledReason: 'failing' | null;
  disabledAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** The last 2xx any of its deliveries got. */
  lastSuccessAt: string | null;
  /** The first failed attempt since the last success: a day of this disables it. */
  failingSince: string | null;
}

/**
 * An event's delivery to one subscription, written in the transaction of the change it tells of
 * (the outbox). `body` is the exact JSON sent on every attempt.
 */
export interface NewDelivery {
  /** Sorts by creation within a process: the order deliveries of one conversation go out in. */
  id: string;
  projectId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  /** Deliveries with the same (subscription, key) go out one after the other; null: any order. */
  orderKey: string | null;
  body: string;
  createdAt: string;
  /** Past this, a failed attempt is the last: the delivery fails. */
  giveUpAt: string;
}

export interface DeliveryRecord extends NewDelivery {
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  responseStatus: number | null;
  latencyMs: number | null;
  errorClass: string | null;
  excerpt: string | null;
}

/** A claimed delivery with what its attempt needs. */
export interface ClaimedDelivery extends DeliveryRecord {
  url: string;
}

/** What an attempt found out. */
export interface AttemptOutcome {
  at: string;
  status: 'delivered' | 'retrying' | 'failed';
  nextAttemptAt: string | null;
  responseStatus: number | null;
  latencyMs: number | null;
  errorClass: string | null;
  excerpt: string | null;
}

export interface ClaimQuery {
  now: string;
  leaseUntil: string;
  limit: number;
  /** Subscriptions already running as many attempts as they may. */
  busy: string[];
}

/** Webhook subscriptions and their outbox of deliveries. */
export interface WebhookStore {
  create(record: WebhookRecord): Promise<void>;
  list(projectId: string): Promise<WebhookRecord[]>;
  /** Every enabled subscription of the project (what new events are written for). */
  enabledOf(projectId: string): Promise<Pick<WebhookRecord, 'id' | 'events'>[]>;
  get(projectId: string, id: string): Promise<WebhookRecord | null>;
  /** False when it no longer exists. */
  save(record: WebhookRecord): Promise<boolean>;
  /** Deletes it and its deliveries; false when it did not exist. */
  delete(projectId: string, id: string): Promise<boolean>;

  /** Writes deliveries outside any other change (pings, redeliveries). */
  addDeliveries(deliveries: NewDelivery[]): Promise<void>;
  /**
   * Leases up to `limit` due deliveries of enabled subscriptions, each the oldest undelivered of
   * its (subscription, order key); on PostgreSQL rows another instance holds are skipped. A
   * leased delivery's next attempt is its lease's end: if no outcome is recorded by then, it is
   * due again.
   */
  claim(query: ClaimQuery): Promise<ClaimedDelivery[]>;
  /** Gives leased deliveries back without an attempt (shutdown, concurrency overflow): due now. */
  release(ids: string[]): Promise<void>;
  /**
   * Records attempts, in one transaction, and keeps each subscription's success and failure
   * times.
   */
  recordAttempts(attempts: { delivery: DeliveryRecord; outcome: AttemptOutcome }[]): Promise<void>;
  /** Disables a subscription that has been failing since `failingBefore`; false if it was not. */
  disableFailing(
    subscriptionId: string,
    failingBefore: string,
    at: string,
    event: { id: string; type: string; payload: Record<string, unknown> },
  ): Promise<boolean>;
  /**
   * Deletes ended deliveries made before `before`, and the deliveries of subscriptions that no
   * longer exist; answers how many.
   */
  prune(before: string): Promise<number>;
  /** Newest first, after the cursor's delivery id. */
  deliveries(
    subscriptionId: string,
    query: { before?: string; limit: number },
  ): Promise<DeliveryRecord[]>;
  delivery(subscriptionId: string, id: string): Promise<DeliveryRecord | null>;
  /**
   * Due again now (same event id and body), retried until `giveUpAt`; it no longer holds back
   * later deliveries of its conversation (they may have gone out since).
   */
  redeliver(
    subscriptionId: string,
    id: string,
    at: string,
    giveUpAt: string,
  ): Promise<DeliveryRecord | null>;
  /**
   * The subscription's retries waiting for a later time are due at `at` instead (its receiver
   * was fixed or turned on again); attempts in flight keep their lease. How many were moved.
   */
  retryNow(subscriptionId: string, at: string): Promise<number>;
}
