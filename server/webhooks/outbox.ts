import type { WebhookEventBody, WebhookEventType } from '../../protocol/index.js';
import { newId } from '../ids.js';
import type { Bus } from '../realtime/index.js';
import type { NewDelivery, Store, WebhookRecord } from '../store/index.js';

/** How long a delivery is retried before it fails. */
export const RETRY_WINDOW_MS = 24 * 3_600_000;
/**
 * How long an instance trusts its list of a project's subscriptions. A change made through this
 * instance applies at once; through another, when the bus tells this one (at once with Redis), or
 * at worst after this long if that message is lost.
 */
const CACHE_MS = 30_000;
const CACHE_ENTRIES = 10_000;
/** Where instances tell each other that a project's subscriptions changed. */
export const WEBHOOKS_TOPIC = 'webhooks:changed';

type Subscribers = Pick<WebhookRecord, 'id' | 'events'>[];

let lastTick = 0;
/**
 * Ids that sort in the order this process made them (microsecond clock, never repeating): the
 * order deliveries of one conversation go out in.
 */
export function orderedDeliveryId(): string {
  lastTick = Math.max(Date.now() * 1000, lastTick + 1);
  return newId(`dlv_${lastTick.toString(36).padStart(11, '0')}`);
}

/** One event to write for whichever subscriptions want it. */
export interface OutboxEvent {
  /** The event's id when it has one already (a row of the events table); else a new one. */
  id?: string;
  projectId: string;
  type: WebhookEventType | 'webhook.test';
  at: string;
  data: Record<string, unknown>;
  /** Deliveries of one key go out in order (the conversation's id). */
  orderKey: string | null;
}

/**
 * Who subscribes to what, per project, cached so that a message of a project without webhooks
 * writes nothing more and reads nothing more; and the delivery rows of an event, which the
 * service that makes a change writes in the change's transaction.
 */
export class WebhookOutbox {
  private readonly cache = new Map<string, { subscribers: Subscribers; readAt: number }>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
  ) {
    bus.subscribe(WEBHOOKS_TOPIC, ({ data }) => this.cache.delete(data));
  }

  /** The project's enabled subscriptions (cached). */
  async subscribers(projectId: string): Promise<Subscribers> {
    const cached = this.cache.get(projectId);
    const now = Date.now();
    if (cached && now - cached.readAt < CACHE_MS && now >= cached.readAt) return cached.subscribers;
    const subscribers = await this.store.webhooks.enabledOf(projectId);
    if (this.cache.size >= CACHE_ENTRIES) this.cache.clear();
    this.cache.set(projectId, { subscribers, readAt: now });
    return subscribers;
  }

  /** Whether anyone in the project wants any of `types`: without, callers skip the outbox. */
  async wants(projectId: string, types: readonly WebhookEventType[]): Promise<Subscribers | null> {
    const subscribers = await this.subscribers(projectId);
    return subscribers.some((s) => s.events.some((e) => types.includes(e))) ? subscribers : null;
  }

  /** A change of subscriptions, for this instance at once and the others over the bus. */
  async changed(projectId: string): Promise<void> {
    this.cache.delete(projectId);
    await this.bus.publish(WEBHOOKS_TOPIC, { data: projectId });
  }

  /** The rows of one event for the subscribers that want it (all given, for a test ping). */
  deliveries(subscribers: Subscribers, event: OutboxEvent): NewDelivery[] {
    const wanting =
      event.type === 'webhook.test'
        ? subscribers
        : subscribers.filter((s) => s.events.includes(event.type as WebhookEventType));
    if (wanting.length === 0) return [];
    const eventId = event.id ?? newId('evt');
    const wire: WebhookEventBody = {
      id: eventId,
      type: event.type,
      createdAt: event.at,
      projectId: event.projectId,
      data: event.data,
    };
    const body = JSON.stringify(wire);
    const giveUpAt = new Date(Date.parse(event.at) + RETRY_WINDOW_MS).toISOString();
    return wanting.map((s) => ({
      id: orderedDeliveryId(),
      projectId: event.projectId,
      subscriptionId: s.id,
      eventId,
      eventType: event.type,
      orderKey: event.orderKey,
      body,
      createdAt: event.at,
      giveUpAt,
    }));
  }

  /** Deliveries were written: the local dispatcher looks at once. */
  written(): void {
    for (const listener of this.listeners) listener();
  }

  onWritten(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
