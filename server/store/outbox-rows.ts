import type { Kysely } from 'kysely';
import type { Database, WebhookDeliveriesTable } from './schema.js';
import type { NewDelivery } from './webhooks-port.js';

/** A row as a plain object type, so that it also binds as a compiled statement's values. */
type DeliveryRow = { [K in keyof WebhookDeliveriesTable]: WebhookDeliveriesTable[K] };

/** Inserts outbox rows on `db`, which may be a transaction another store opened. */
export async function insertDeliveries(
  db: Kysely<Database>,
  deliveries: NewDelivery[],
): Promise<void> {
  if (deliveries.length === 0) return;
  await db.insertInto('webhook_deliveries').values(deliveries.map(deliveryRow)).execute();
}

/** A new outbox row: due at once. */
export function deliveryRow(d: NewDelivery): DeliveryRow {
  return {
    id: d.id,
    project_id: d.projectId,
    subscription_id: d.subscriptionId,
    event_id: d.eventId,
    event_type: d.eventType,
    order_key: d.orderKey,
    body: d.body,
    status: 'pending',
    attempts: 0,
    created_at: d.createdAt,
    give_up_at: d.giveUpAt,
    next_attempt_at: d.createdAt,
    lease_until: null,
    last_attempt_at: null,
    response_status: null,
    latency_ms: null,
    error_class: null,
    excerpt: null,
  };
}
