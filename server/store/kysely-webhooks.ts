import { sql, type Kysely, type Selectable } from 'kysely';
import type { WebhookEventType } from '../../protocol/index.js';
import {
  compileOnce,
  param,
  query,
  runProgramAsync,
  runStatementRows,
  type StatementProgram,
} from './compiled.js';
import { insertEvent } from './kysely-events.js';
import { insertDeliveries } from './outbox-rows.js';
import type { Database, WebhookDeliveriesTable, WebhookSubscriptionsTable } from './schema.js';
import type {
  AttemptOutcome,
  ClaimedDelivery,
  ClaimQuery,
  DeliveryRecord,
  NewDelivery,
  WebhookRecord,
  WebhookStore,
} from './webhooks-port.js';

function toRow(r: WebhookRecord): WebhookSubscriptionsTable {
  return {
    id: r.id,
    project_id: r.projectId,
    url: r.url,
    events: JSON.stringify(r.events),
    enabled: r.enabled ? 1 : 0,
    disabled_reason: r.disabledReason,
    disabled_at: r.disabledAt,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    last_success_at: r.lastSuccessAt,
    failing_since: r.failingSince,
  };
}

function toRecord(row: Selectable<WebhookSubscriptionsTable>): WebhookRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEventType[],
    enabled: Boolean(row.enabled),
    disabledReason: row.disabled_reason === 'failing' ? 'failing' : null,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSuccessAt: row.last_success_at,
    failingSince: row.failing_since,
  };
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): DeliveryRecord {
  const status = row.status as DeliveryRecord['status'];
  return {
    id: row.id,
    projectId: row.project_id,
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    eventType: row.event_type,
    orderKey: row.order_key,
    body: row.body,
    createdAt: row.created_at,
    giveUpAt: row.give_up_at,
    status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    responseStatus: row.response_status === null ? null : Number(row.response_status),
    latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
    errorClass: row.error_class,
    excerpt: row.excerpt,
  };
}

/**
 * The dispatcher's per-attempt statements, compiled once: building each with the query builder
 * was most of what recording an outcome cost (bench/realtime.ts, with a webhook).
 */
function compileStatements(db: Kysely<Database>, dialect: 'sqlite' | 'postgres') {
  const now = param<string>('now');
  let due = db
    .selectFrom('webhook_deliveries as d')
    .select(['d.id', 'd.next_attempt_at'])
    .where('d.subscription_id', '=', param<string>('subscriptionId'))
    .where('d.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<', now)]))
    // The oldest undelivered of its conversation for this subscription, or it waits.
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('webhook_deliveries as e')
            .select(sql.lit(1).as('one'))
            .whereRef('e.subscription_id', '=', 'd.subscription_id')
            .whereRef('e.order_key', '=', 'd.order_key')
            .whereRef('e.id', '<', 'd.id')
            .where('e.next_attempt_at', 'is not', null),
        ),
      ),
    )
    .orderBy('d.next_attempt_at')
    .limit(param<number>('limit'))
    .$narrowType<{ next_attempt_at: string }>();
  // Another instance's claim in progress keeps its rows; this one takes the next ones.
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  return {
    /** A subscription's oldest due deliveries, through its own index range. */
    due: compileOnce(due),
    recordAttempt: compileOnce(
      db
        .updateTable('webhook_deliveries')
        .set({
          status: param('status'),
          attempts: sql<number>`attempts + 1`,
          next_attempt_at: param('nextAttemptAt'),
          lease_until: null,
          last_attempt_at: param('at'),
          response_status: param('responseStatus'),
          latency_ms: param('latencyMs'),
          error_class: param('errorClass'),
          excerpt: param('excerpt'),
        })
        .where('id', '=', param<string>('id')),
    ),
    succeeded: compileOnce(
      db
        .updateTable('webhook_subscriptions')
        .set({ last_success_at: param('at'), failing_since: null })
        .where('id', '=', param<string>('subscriptionId')),
    ),
    failing: compileOnce(
      db
        .updateTable('webhook_subscriptions')
        .set({ failing_since: param('at') })
        .where('id', '=', param<string>('subscriptionId'))
        .where('failing_since', 'is', null),
    ),
  };
}

type Statements = ReturnType<typeof compileStatements>;

function* recordProgram(
  s: Statements,
  attempts: { delivery: DeliveryRecord; outcome: AttemptOutcome }[],
): StatementProgram<void> {
  for (const { delivery, outcome } of attempts) {
    yield* query(s.recordAttempt, { ...outcome, id: delivery.id });
  }
  // One write per subscription: its latest success, or when its failures began.
  const latest = new Map<string, AttemptOutcome>();
  for (const { delivery, outcome } of attempts) {
    const seen = latest.get(delivery.subscriptionId);
    if (!seen || seen.status !== 'delivered') latest.set(delivery.subscriptionId, outcome);
  }
  for (const [subscriptionId, o] of latest) {
    const statement = o.status === 'delivered' ? s.succeeded : s.failing;
    yield* query(statement, { subscriptionId, at: o.at });
  }
}

export class KyselyWebhookStore implements WebhookStore {
  private readonly statements: Statements;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {
    this.statements = compileStatements(db, dialect);
  }

  async create(record: WebhookRecord): Promise<void> {
    await this.db.insertInto('webhook_subscriptions').values(toRow(record)).execute();
  }

  async list(projectId: string): Promise<WebhookRecord[]> {
    const rows = await this.db
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toRecord);
  }

  async enabledOf(projectId: string): Promise<Pick<WebhookRecord, 'id' | 'events'>[]> {
    const rows = await this.db
      .selectFrom('webhook_subscriptions')
      .select(['id', 'events'])
      .where('project_id', '=', projectId)
      .where('enabled', '=', 1)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      events: JSON.parse(row.events) as WebhookEventType[],
    }));
  }

  async get(projectId: string, id: string): Promise<WebhookRecord | null> {
    const row = await this.db
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async save(record: WebhookRecord): Promise<boolean> {
    const { id, project_id: projectId, created_at: _created, ...columns } = toRow(record);
    const result = await this.db
      .updateTable('webhook_subscriptions')
      .set(columns)
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  delete(projectId: string, id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .deleteFrom('webhook_subscriptions')
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) return false;
      await trx.deleteFrom('webhook_deliveries').where('subscription_id', '=', id).execute();
      return true;
    });
  }

  addDeliveries(deliveries: NewDelivery[]): Promise<void> {
    return insertDeliveries(this.db, deliveries);
  }

  claim(q: ClaimQuery): Promise<ClaimedDelivery[]> {
    return this.db.transaction().execute(async (trx) => {
      let subscriptions = trx
        .selectFrom('webhook_subscriptions')
        .select('id')
        .where('enabled', '=', 1);
      if (q.busy.length > 0) subscriptions = subscriptions.where('id', 'not in', q.busy);
      // Each subscription's oldest due rows, then the oldest of all.
      const candidates: { id: string; next_attempt_at: string }[] = [];
      for (const { id } of await subscriptions.execute()) {
        candidates.push(
          ...(await runStatementRows(trx, this.statements.due, {
            subscriptionId: id,
            now: q.now,
            limit: q.limit,
          })),
        );
      }
      const ids = candidates
        .sort((a, b) => (a.next_attempt_at < b.next_attempt_at ? -1 : 1))
        .slice(0, q.limit)
        .map((row) => row.id);
      if (ids.length === 0) return [];
      // Leased rows leave the due range until their lease runs out: a claim's scan of the due
      // index would otherwise step over every attempt in flight, and the more a busy dispatcher
      // fell behind, the more each claim cost.
      await trx
        .updateTable('webhook_deliveries')
        .set({ lease_until: q.leaseUntil, next_attempt_at: q.leaseUntil })
        .where('id', 'in', ids)
        .execute();
      const rows = await trx
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
        .selectAll('d')
        .select('s.url')
        .where('d.id', 'in', ids)
        .orderBy('d.id')
        .execute();
      return rows.map((row) => ({ ...toDelivery(row), url: row.url }));
    });
  }

  async release(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    // Due again at once; its creation time, always before the claim, keeps it first in line.
    await this.db
      .updateTable('webhook_deliveries')
      .set((eb) => ({ lease_until: null, next_attempt_at: eb.ref('created_at') }))
      .where('id', 'in', ids)
      .where('next_attempt_at', 'is not', null)
      .execute();
  }

  recordAttempts(attempts: { delivery: DeliveryRecord; outcome: AttemptOutcome }[]): Promise<void> {
    if (attempts.length === 0) return Promise.resolve();
    return this.db
      .transaction()
      .execute((trx) => runProgramAsync(recordProgram(this.statements, attempts), trx));
  }

  disableFailing(
    subscriptionId: string,
    failingBefore: string,
    at: string,
    event: { id: string; type: string; payload: Record<string, unknown> },
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('webhook_subscriptions')
        .set({ enabled: 0, disabled_reason: 'failing', disabled_at: at, updated_at: at })
        .where('id', '=', subscriptionId)
        .where('enabled', '=', 1)
        .where('failing_since', '<=', failingBefore)
        .returning('project_id')
        .executeTakeFirst();
      if (!row) return false;
      await insertEvent(trx, { ...event, projectId: row.project_id, at });
      return true;
    });
  }

  async prune(before: string): Promise<number> {
    const ended = await this.db
      .deleteFrom('webhook_deliveries')
      .where('next_attempt_at', 'is', null)
      .where('created_at', '<', before)
      .executeTakeFirst();
    const orphaned = await this.db
      .deleteFrom('webhook_deliveries')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('webhook_subscriptions as s')
              .select(sql.lit(1).as('one'))
              .whereRef('s.id', '=', 'webhook_deliveries.subscription_id'),
          ),
        ),
      )
      .executeTakeFirst();
    return Number(ended.numDeletedRows) + Number(orphaned.numDeletedRows);
  }

  async deliveries(
    subscriptionId: string,
    q: { before?: string; limit: number },
  ): Promise<DeliveryRecord[]> {
    let query = this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('subscription_id', '=', subscriptionId)
      .orderBy('id', 'desc')
      .limit(q.limit);
    if (q.before !== undefined) query = query.where('id', '<', q.before);
    return (await query.execute()).map(toDelivery);
  }

  async delivery(subscriptionId: string, id: string): Promise<DeliveryRecord | null> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('subscription_id', '=', subscriptionId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toDelivery(row) : null;
  }

  async redeliver(
    subscriptionId: string,
    id: string,
    at: string,
    giveUpAt: string,
  ): Promise<DeliveryRecord | null> {
    const row = await this.db
      .updateTable('webhook_deliveries')
      .set({
        status: 'pending',
        order_key: null,
        next_attempt_at: at,
        give_up_at: giveUpAt,
        lease_until: null,
      })
      .where('subscription_id', '=', subscriptionId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ? toDelivery(row) : null;
  }

  async retryNow(subscriptionId: string, at: string): Promise<number> {
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: at })
      .where('subscription_id', '=', subscriptionId)
      .where('next_attempt_at', '>', at)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
