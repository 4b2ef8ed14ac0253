import type { Kysely, Selectable } from 'kysely';
import type { CardActionOutcome, CardCallEntry } from '../../protocol/index.js';
import { compileOnce, param, runStatement } from './compiled.js';
import type { ActionClaim, CardCallRecord, CardRecord, CardStore } from './cards-port.js';
import type { CardCallsTable, CardsTable, Database } from './schema.js';
import { insertUnique, isUniqueViolation } from './unique-violation.js';

/** How many card log entries a project keeps. */
const CARD_LOG_KEEP = 1000;
const PRUNE_EVERY = 50;

function toRow(card: CardRecord): CardsTable {
  return {
    id: card.id,
    project_id: card.projectId,
    name: card.name,
    url: card.url,
    headers_sealed: card.headersSealed,
    enabled: card.enabled ? 1 : 0,
    cache_seconds: card.cacheSeconds,
    position: card.position,
    created_at: card.createdAt,
    updated_at: card.updatedAt,
  };
}

function toRecord(row: Selectable<CardsTable>): CardRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    url: row.url,
    headersSealed: row.headers_sealed,
    enabled: Boolean(row.enabled),
    cacheSeconds: Number(row.cache_seconds),
    position: Number(row.position),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class KyselyCardStore implements CardStore {
  private appended = 0;

  /** Every card and action call writes one: compiled once, as the identity log's statement. */
  private readonly insertCall;

  constructor(private readonly db: Kysely<Database>) {
    this.insertCall = compileOnce(
      db.insertInto('card_calls').values({
        id: param<string>('id'),
        project_id: param<string>('projectId'),
        at: param<string>('at'),
        card_id: param<string>('cardId'),
        card_name: param<string>('cardName'),
        agent_id: param<string | null>('agentId'),
        agent_name: param<string | null>('agentName'),
        external_user_id: param<string | null>('externalUserId'),
        kind: param<string>('kind'),
        action: param<string | null>('action'),
        outcome: param<string>('outcome'),
        http_status: param<number | null>('httpStatus'),
        latency_ms: param<number | null>('latencyMs'),
        error_class: param<string | null>('errorClass'),
        message: param<string>('message'),
        details: param<string>('details'),
      }),
    );
  }

  async create(card: CardRecord): Promise<void> {
    await insertUnique('card', 'name', () =>
      this.db.insertInto('cards').values(toRow(card)).execute(),
    );
  }

  async list(projectId: string): Promise<CardRecord[]> {
    const rows = await this.db
      .selectFrom('cards')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('position')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toRecord);
  }

  async get(projectId: string, id: string): Promise<CardRecord | null> {
    const row = await this.db
      .selectFrom('cards')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async save(card: CardRecord): Promise<boolean> {
    const { id: _id, project_id: _project, created_at: _created, ...changes } = toRow(card);
    const result = await insertUnique('card', 'name', () =>
      this.db
        .updateTable('cards')
        .set(changes)
        .where('project_id', '=', card.projectId)
        .where('id', '=', card.id)
        .executeTakeFirst(),
    );
    return result.numUpdatedRows > 0n;
  }

  async delete(projectId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('cards')
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async appendCall(e: CardCallRecord): Promise<void> {
    await runStatement(this.db, this.insertCall, {
      id: e.id,
      projectId: e.projectId,
      at: e.at,
      cardId: e.cardId,
      cardName: e.cardName,
      agentId: e.agent?.id ?? null,
      agentName: e.agent?.name ?? null,
      externalUserId: e.externalUserId,
      kind: e.kind,
      action: e.action,
      outcome: e.outcome,
      httpStatus: e.httpStatus,
      latencyMs: e.latencyMs,
      errorClass: e.errorClass,
      message: e.message,
      details: JSON.stringify({ inputs: e.inputs, droppedPii: e.droppedPii }),
    });
    // Trimmed every PRUNE_EVERY appends: the log may run a little over its size in between, and
    // a card call does not pay for the trim's reads.
    this.appended += 1;
    if (this.appended % PRUNE_EVERY !== 0) return;
    const oldest = await this.db
      .selectFrom('card_calls')
      .select(['at', 'id'])
      .where('project_id', '=', e.projectId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .offset(CARD_LOG_KEEP)
      .limit(1)
      .executeTakeFirst();
    if (oldest) {
      await this.db
        .deleteFrom('card_calls')
        .where('project_id', '=', e.projectId)
        .where((eb) =>
          eb.or([
            eb('at', '<', oldest.at),
            eb.and([eb('at', '=', oldest.at), eb('id', '<=', oldest.id)]),
          ]),
        )
        .execute();
    }
  }

  async listCalls(
    projectId: string,
    query: { cardId?: string; limit: number; after?: { at: string; id: string } },
  ): Promise<CardCallEntry[]> {
    let q = this.db
      .selectFrom('card_calls')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit);
    if (query.cardId !== undefined) q = q.where('card_id', '=', query.cardId);
    const after = query.after;
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb('at', '<', after.at),
          eb.and([eb('at', '=', after.at), eb('id', '<', after.id)]),
        ]),
      );
    }
    return (await q.execute()).map(toCallEntry);
  }

  async claimAction(
    projectId: string,
    key: string,
    use: { fingerprint: string; externalUserId: string | null; at: string },
  ): Promise<ActionClaim> {
    try {
      await this.db
        .insertInto('card_actions')
        .values({
          project_id: projectId,
          idempotency_key: key,
          fingerprint: use.fingerprint,
          external_user_id: use.externalUserId,
          outcome: null,
          created_at: use.at,
        })
        .execute();
      return { claimed: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const row = await this.db
      .selectFrom('card_actions')
      .select(['fingerprint', 'outcome'])
      .where('project_id', '=', projectId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    // Released between our insert and this read: the caller's next claim takes it.
    if (!row) return { claimed: false, fingerprint: use.fingerprint, outcome: null };
    return {
      claimed: false,
      fingerprint: row.fingerprint,
      outcome: row.outcome === null ? null : (JSON.parse(row.outcome) as CardActionOutcome),
    };
  }

  async settleAction(projectId: string, key: string, outcome: CardActionOutcome): Promise<void> {
    await this.db
      .updateTable('card_actions')
      .set({ outcome: JSON.stringify(outcome) })
      .where('project_id', '=', projectId)
      .where('idempotency_key', '=', key)
      .execute();
  }

  async releaseAction(projectId: string, key: string): Promise<void> {
    await this.db
      .deleteFrom('card_actions')
      .where('project_id', '=', projectId)
      .where('idempotency_key', '=', key)
      .where('outcome', 'is', null)
      .execute();
  }
}

function toCallEntry(row: Selectable<CardCallsTable>): CardCallEntry {
  const details = JSON.parse(row.details) as Pick<CardCallEntry, 'inputs' | 'droppedPii'>;
  return {
    id: row.id,
    at: row.at,
    cardId: row.card_id,
    cardName: row.card_name,
    agent:
      row.agent_id === null ? null : { id: row.agent_id, name: row.agent_name ?? row.agent_id },
    kind: row.kind as CardCallEntry['kind'],
    action: row.action,
    outcome: row.outcome as CardCallEntry['outcome'],
    httpStatus: row.http_status === null ? null : Number(row.http_status),
    latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
    errorClass: row.error_class,
    message: row.message,
    inputs: details.inputs,
    droppedPii: details.droppedPii,
  };
}
