import type { Kysely, Selectable } from 'kysely';
import type { CardRecord, CardStore } from './cards-port.js';
import type { CardsTable, Database } from './schema.js';
import { insertUnique } from './unique-violation.js';

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
  constructor(private readonly db: Kysely<Database>) {}

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
}
