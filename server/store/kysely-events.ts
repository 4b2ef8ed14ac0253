import type { Kysely } from 'kysely';
import type { EventRecord, EventStore, NewEvent } from './events-port.js';
import type { Database } from './schema.js';
import { insertDeliveries } from './outbox-rows.js';

/** Appends `event` on `db`, which may be a transaction another store opened. */
export async function insertEvent(db: Kysely<Database>, event: NewEvent): Promise<void> {
  await db
    .insertInto('events')
    .values({
      id: event.id,
      project_id: event.projectId,
      type: event.type,
      at: event.at,
      payload: JSON.stringify(event.payload),
    })
    .execute();
  await insertDeliveries(db, event.deliveries ?? []);
}

export class KyselyEventStore implements EventStore {
  constructor(private readonly db: Kysely<Database>) {}

  appendEvent(event: NewEvent): Promise<void> {
    return insertEvent(this.db, event);
  }

  async listEvents(
    projectId: string,
    query: { type?: string; limit: number },
  ): Promise<EventRecord[]> {
    let q = this.db
      .selectFrom('events')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit);
    if (query.type) q = q.where('type', '=', query.type);
    const rows = await q.execute();
    return rows.map((row) => ({
      id: row.id,
      projectId: row.project_id,
      type: row.type,
      at: row.at,
      payload: JSON.parse(row.payload) as Record<string, unknown>,
    }));
  }
}
