import type { Kysely } from 'kysely';
import type { IntegrationLogEntry, IntegrationLogQuery } from '../../protocol/index.js';
import { runStatement } from './compiled.js';
import type { IdentityStore, IntegrationRecord, NewLogEntry } from './identity-port.js';
import type { NewEvent } from './events-port.js';
import {
  compileFetchStatements,
  healthColumns,
  integrationColumns,
  toIntegration,
} from './identity-rows.js';
import { insertEvent } from './kysely-events.js';
import type { Database } from './schema.js';

export class KyselyIdentityStore implements IdentityStore {
  private readonly fetch: ReturnType<typeof compileFetchStatements>;

  constructor(private readonly db: Kysely<Database>) {
    this.fetch = compileFetchStatements(db);
  }

  async getIntegration(projectId: string): Promise<IntegrationRecord | null> {
    const row = await this.db
      .selectFrom('project_integrations')
      .selectAll()
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    return row ? toIntegration(row) : null;
  }

  async saveIntegration(r: IntegrationRecord): Promise<void> {
    const values = integrationColumns(r);
    await this.db
      .insertInto('project_integrations')
      .values({ project_id: r.projectId, ...values })
      .onConflict((oc) => oc.column('project_id').doUpdateSet(values))
      .execute();
  }

  async createIntegrationIfAbsent(r: IntegrationRecord): Promise<void> {
    await this.db
      .insertInto('project_integrations')
      .values({ project_id: r.projectId, ...integrationColumns(r) })
      .onConflict((oc) => oc.column('project_id').doNothing())
      .execute();
  }

  async saveIntegrationIfUnconfigured(r: IntegrationRecord): Promise<boolean> {
    const result = await this.db
      .updateTable('project_integrations')
      .set(integrationColumns(r))
      .where('project_id', '=', r.projectId)
      .where('url', '=', '')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async saveHealth(projectId: string, health: IntegrationRecord['health']): Promise<void> {
    await this.db
      .updateTable('project_integrations')
      .set(healthColumns(health))
      .where('project_id', '=', projectId)
      .execute();
  }

  changeHealth(
    projectId: string,
    from: IntegrationRecord['health']['status'],
    health: IntegrationRecord['health'],
    event: NewEvent,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('project_integrations')
        .set(healthColumns(health))
        .where('project_id', '=', projectId)
        .where('health_status', '=', from)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      await insertEvent(trx, event);
      return true;
    });
  }

  async appendLog(e: NewLogEntry): Promise<void> {
    await runStatement(this.db, this.fetch.appendLog, {
      id: e.id,
      projectId: e.projectId,
      at: e.at,
      externalUserId: e.externalUserId,
      trigger: e.trigger,
      outcome: e.outcome,
      httpStatus: e.httpStatus,
      latencyMs: e.latencyMs,
      errorClass: e.errorClass,
      message: e.message,
      details: JSON.stringify({ invalidFields: e.invalidFields, droppedPii: e.droppedPii }),
    });
    await runStatement(this.db, this.fetch.pruneLog, { projectId: e.projectId });
  }

  async removeLog(projectId: string, id: string): Promise<void> {
    await this.db
      .deleteFrom('integration_log')
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .execute();
  }

  async listLog(projectId: string, query: IntegrationLogQuery): Promise<IntegrationLogEntry[]> {
    let q = this.db
      .selectFrom('integration_log')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit ?? 50);
    if (query.outcome) q = q.where('outcome', '=', query.outcome);
    const rows = await q.execute();
    return rows.map((row) => {
      const details = JSON.parse(row.details) as Pick<
        IntegrationLogEntry,
        'invalidFields' | 'droppedPii'
      >;
      return {
        id: row.id,
        at: row.at,
        externalUserId: row.external_user_id,
        trigger: row.trigger as IntegrationLogEntry['trigger'],
        outcome: row.outcome as IntegrationLogEntry['outcome'],
        httpStatus: row.http_status === null ? null : Number(row.http_status),
        latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
        errorClass: row.error_class,
        message: row.message,
        invalidFields: details.invalidFields,
        droppedPii: details.droppedPii,
      };
    });
  }
}
