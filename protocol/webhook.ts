import * as z from 'zod/mini';
import { Id, IsoDate } from './common.js';

/**
 * What a webhook can be told of. `webhook.test` is not subscribable: it is the ping an admin
 * sends from the settings page.
 */
export const WEBHOOK_EVENT_TYPES = [
  'conversation.created',
  'message.created',
  'conversation.closed',
  'conversation.reopened',
  'contact.updated',
  'contact.deleted',
  'integration.health_changed',
] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** Subscriptions a project may have: each event is one request per subscription. */
export const MAX_WEBHOOKS_PER_PROJECT = 10;
/** The part of a receiver's answer kept in the delivery log, after redaction. */
export const WEBHOOK_EXCERPT_MAX = 200;

/** Why Palaver turned a subscription off by itself. */
export const WebhookDisabledReason = z.enum(['failing']);

/** A subscription as admins see it. */
export const WebhookSubscription = z.object({
  id: Id,
  projectId: Id,
  url: z.string(),
  events: z.array(WebhookEventType),
  enabled: z.boolean(),
  /** Set when Palaver disabled it (no success for a day); cleared when an admin enables it. */
  disabledReason: z.nullable(WebhookDisabledReason),
  disabledAt: z.nullable(IsoDate),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type WebhookSubscription = z.infer<typeof WebhookSubscription>;

export const WebhookList = z.object({ items: z.array(WebhookSubscription) });
export type WebhookList = z.infer<typeof WebhookList>;

const WebhookUrl = z
  .string()
  .check(z.trim(), z.minLength(1, 'Enter the URL that receives the events'), z.maxLength(2048));
const WebhookEvents = z
  .array(WebhookEventType)
  .check(z.minLength(1, 'Choose at least one event'), z.maxLength(WEBHOOK_EVENT_TYPES.length));

export const CreateWebhookRequest = z.strictObject({
  url: WebhookUrl,
  events: WebhookEvents,
  enabled: z.optional(z.boolean()),
});
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequest>;

export const UpdateWebhookRequest = z.strictObject({
  url: z.optional(WebhookUrl),
  events: z.optional(WebhookEvents),
  enabled: z.optional(z.boolean()),
});
export type UpdateWebhookRequest = z.infer<typeof UpdateWebhookRequest>;

export const DeliveryStatus = z.enum(['pending', 'retrying', 'delivered', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** One event's delivery to one subscription, as the delivery log shows it. */
export const WebhookDelivery = z.object({
  id: Id,
  eventId: Id,
  eventType: z.string(),
  status: DeliveryStatus,
  attempts: z.int(),
  createdAt: IsoDate,
  lastAttemptAt: z.nullable(IsoDate),
  /** When the next attempt is due; null once delivered or failed. */
  nextAttemptAt: z.nullable(IsoDate),
  responseStatus: z.nullable(z.int()),
  latencyMs: z.nullable(z.int()),
  /** Why the last attempt failed (`server/outbound` error classes, `bad_status`…). */
  errorClass: z.nullable(z.string()),
  /** The start of the receiver's answer, redacted, at most WEBHOOK_EXCERPT_MAX characters. */
  excerpt: z.nullable(z.string()),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookDeliveryPage = z.object({
  items: z.array(WebhookDelivery),
  nextCursor: z.nullable(z.string()),
});
export type WebhookDeliveryPage = z.infer<typeof WebhookDeliveryPage>;

export const WebhookDeliveryQuery = z.object({
  cursor: z.optional(z.string().check(z.maxLength(200))),
  limit: z.optional(z.pipe(z.coerce.number(), z.int().check(z.gte(1), z.lte(100)))),
});
export type WebhookDeliveryQuery = z.infer<typeof WebhookDeliveryQuery>;

export const WebhookParams = z.object({ id: z.string(), webhookId: z.string() });
export const DeliveryParams = z.object({
  id: z.string(),
  webhookId: z.string(),
  deliveryId: z.string(),
});

/** The conversation as every conversation.* and message.created event carries it. */
export interface WebhookConversation {
  id: string;
  status: 'open' | 'closed';
  visitorId: string;
  externalUserId: string | null;
}

/**
 * The body of every webhook request (`Palaver-Event-Id` repeats `id`; `data` depends on `type`):
 * conversation.* → `{ conversation }`; message.created → `{ conversation, message: { id, seq,
 * author: { kind, id, name }, body, createdAt } }`; contact.updated → `{ contact: { externalId,
 * changed: [field names] } }` (no values: the site has them, and PII stays out of logs);
 * contact.deleted → `{ contact: { externalId } }`; integration.health_changed → the health
 * change; webhook.test → `{}`.
 */
export interface WebhookEventBody {
  id: string;
  type: WebhookEventType | 'webhook.test';
  createdAt: string;
  projectId: string;
  data: Record<string, unknown>;
}
