import {
  MAX_WEBHOOKS_PER_PROJECT,
  type CreateWebhookRequest,
  type UpdateWebhookRequest,
  type WebhookDelivery,
  type WebhookDeliveryQuery,
  type WebhookDeliveryPage,
  type WebhookSubscription,
} from '../../protocol/index.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { AppError, conflict, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { siteUrlProblem } from '../outbound/index.js';
import type { DeliveryRecord, Store, WebhookRecord } from '../store/index.js';
import { RETRY_WINDOW_MS, type WebhookOutbox } from './outbox.js';

const URL_EXAMPLE = 'https://api.example.com/palaver/webhooks';

/** Subscriptions (Settings → Webhooks), their delivery log, redelivery and the test ping. */
export class WebhookService {
  constructor(
    private readonly store: Store,
    private readonly outbox: WebhookOutbox,
    private readonly options: { allowHttp: boolean },
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(projectId: string): Promise<WebhookSubscription[]> {
    await this.projectOrThrow(projectId);
    return (await this.store.webhooks.list(projectId)).map(view);
  }

  async create(projectId: string, input: CreateWebhookRequest): Promise<WebhookSubscription> {
    await this.projectOrThrow(projectId);
    if ((await this.store.webhooks.list(projectId)).length >= MAX_WEBHOOKS_PER_PROJECT) {
      throw new AppError(
        'validation_failed',
        422,
        `A project can have ${MAX_WEBHOOKS_PER_PROJECT} webhooks; delete one you no longer use first`,
      );
    }
    const at = this.now().toISOString();
    const record: WebhookRecord = {
      id: newId('wh'),
      projectId,
      url: this.checkedUrl(input.url),
      events: [...new Set(input.events)],
      enabled: input.enabled ?? true,
      disabledReason: null,
      disabledAt: null,
      createdAt: at,
      updatedAt: at,
      lastSuccessAt: null,
      failingSince: null,
    };
    await this.store.webhooks.create(record);
    await this.outbox.changed(projectId);
    return view(record);
  }

  async update(
    projectId: string,
    webhookId: string,
    input: UpdateWebhookRequest,
  ): Promise<WebhookSubscription> {
    const current = await this.webhookOrThrow(projectId, webhookId);
    const enabling = input.enabled === true && !current.enabled;
    const next: WebhookRecord = {
      ...current,
      ...(input.url !== undefined && { url: this.checkedUrl(input.url) }),
      ...(input.events !== undefined && { events: [...new Set(input.events)] }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      // Turned on again: the day of failures starts over, and the alert goes.
      ...(enabling && { disabledReason: null, disabledAt: null, failingSince: null }),
      updatedAt: this.now().toISOString(),
    };
    if (!(await this.store.webhooks.save(next))) throw notFound('Webhook');
    await this.outbox.changed(projectId);
    // A new address or a subscription back on: its waiting retries need not sit out their backoff.
    const fixed = next.url !== current.url || enabling;
    if (fixed && (await this.store.webhooks.retryNow(webhookId, next.updatedAt)) > 0) {
      this.outbox.written();
    }
    return view(next);
  }

  async remove(projectId: string, webhookId: string): Promise<void> {
    if (!(await this.store.webhooks.delete(projectId, webhookId))) throw notFound('Webhook');
    await this.outbox.changed(projectId);
  }

  async deliveries(
    projectId: string,
    webhookId: string,
    query: WebhookDeliveryQuery,
  ): Promise<WebhookDeliveryPage> {
    await this.webhookOrThrow(projectId, webhookId);
    const limit = query.limit ?? 30;
    const before =
      query.cursor === undefined
        ? undefined
        : decodeCursor(query.cursor, 'The cursor is not one this server issued; start over')[1];
    const rows = await this.store.webhooks.deliveries(webhookId, {
      limit,
      ...(before !== undefined && { before }),
    });
    const last = rows.at(-1);
    return {
      items: rows.map(deliveryView),
      nextCursor: rows.length === limit && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  }

  /** Sends a delivered or failed event again: same event id and body, a new day of retries. */
  async redeliver(
    projectId: string,
    webhookId: string,
    deliveryId: string,
  ): Promise<WebhookDelivery> {
    await this.webhookOrThrow(projectId, webhookId);
    const delivery = await this.store.webhooks.delivery(webhookId, deliveryId);
    if (!delivery) throw notFound('Delivery');
    if (delivery.status === 'pending' || delivery.status === 'retrying') {
      throw conflict('This delivery is still being attempted; redeliver it once it has ended');
    }
    const at = this.now();
    const giveUpAt = new Date(at.getTime() + RETRY_WINDOW_MS).toISOString();
    const updated = await this.store.webhooks.redeliver(
      webhookId,
      deliveryId,
      at.toISOString(),
      giveUpAt,
    );
    if (!updated) throw notFound('Delivery');
    this.outbox.written();
    return deliveryView(updated);
  }

  /** Queues a `webhook.test` ping to this subscription, whatever its events. */
  async test(projectId: string, webhookId: string): Promise<WebhookDelivery> {
    const webhook = await this.webhookOrThrow(projectId, webhookId);
    const [delivery] = this.outbox.deliveries([webhook], {
      projectId,
      type: 'webhook.test',
      at: this.now().toISOString(),
      data: {},
      orderKey: null,
    });
    if (!delivery) throw notFound('Webhook');
    await this.store.webhooks.addDeliveries([delivery]);
    this.outbox.written();
    const stored = await this.store.webhooks.delivery(webhookId, delivery.id);
    if (!stored) throw notFound('Delivery');
    return deliveryView(stored);
  }

  private checkedUrl(url: string): string {
    const problem = siteUrlProblem(url, this.options, URL_EXAMPLE);
    if (problem) {
      throw new AppError('validation_failed', 422, problem, [{ path: 'url', message: problem }]);
    }
    return url;
  }

  private async webhookOrThrow(projectId: string, webhookId: string): Promise<WebhookRecord> {
    const webhook = await this.store.webhooks.get(projectId, webhookId);
    if (!webhook) throw notFound('Webhook');
    return webhook;
  }

  private async projectOrThrow(projectId: string): Promise<void> {
    if (!(await this.store.projects.get(projectId))) throw notFound(`Project "${projectId}"`);
  }
}

function view(r: WebhookRecord): WebhookSubscription {
  const { lastSuccessAt: _success, failingSince: _failing, ...rest } = r;
  return rest;
}

function deliveryView(d: DeliveryRecord): WebhookDelivery {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    createdAt: d.createdAt,
    lastAttemptAt: d.lastAttemptAt,
    nextAttemptAt: d.nextAttemptAt,
    responseStatus: d.responseStatus,
    latencyMs: d.latencyMs,
    errorClass: d.errorClass,
    excerpt: d.excerpt,
  };
}
