import type { Kysely, Selectable } from 'kysely';
import { DEFAULT_MAPPING, type IntegrationMapping } from '../../protocol/index.js';
import { compileOnce, param } from './compiled.js';
import { LOG_RETENTION, type IntegrationRecord } from './identity-port.js';
import type { Database, ProjectIntegrationsTable } from './schema.js';

/** Row ↔ record mapping of the identity store, and the statements every profile fetch runs. */

function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function toIntegration(row: Selectable<ProjectIntegrationsTable>): IntegrationRecord {
  return {
    projectId: row.project_id,
    enabled: Boolean(row.enabled),
    style: row.style,
    url: row.url,
    paramName: row.param_name,
    method: row.method,
    headersSealed: row.headers_sealed,
    freshnessSeconds: Number(row.freshness_seconds),
    requireVerified: Boolean(row.require_verified),
    mapping: parseJson<IntegrationMapping>(row.mapping) ?? DEFAULT_MAPPING,
    onNotFound: row.on_not_found,
    secretsSealed: row.secrets_sealed,
    health: {
      status: row.health_status,
      failingSince: row.failing_since,
      lastSuccessAt: row.last_success_at,
      lastError: parseJson(row.last_error),
    },
    updatedAt: row.updated_at,
  };
}

export function integrationColumns(r: IntegrationRecord) {
  return {
    enabled: r.enabled ? 1 : 0,
    style: r.style,
    url: r.url,
    param_name: r.paramName,
    method: r.method,
    headers_sealed: r.headersSealed,
    freshness_seconds: r.freshnessSeconds,
    require_verified: r.requireVerified ? 1 : 0,
    mapping: JSON.stringify(r.mapping),
    on_not_found: r.onNotFound,
    secrets_sealed: r.secretsSealed,
    ...healthColumns(r.health),
    updated_at: r.updatedAt,
  };
}

export function healthColumns(health: IntegrationRecord['health']) {
  return {
    health_status: health.status,
    failing_since: health.failingSince,
    last_success_at: health.lastSuccessAt,
    last_error: health.lastError ? JSON.stringify(health.lastError) : null,
  };
}

/**
 * The log statements every profile fetch runs, compiled once: building them with the query
 * builder was most of the ~170 KB each fetch allocated, and of its time beyond the HTTP call
 * (bench/identity.ts). The contact's statements are in contact-statements.ts.
 */
export function compileFetchStatements(db: Kysely<Database>) {
  const projectId = param<string>('projectId');
  const externalUserId = param<string>('externalUserId');
  return {
    appendLog: compileOnce(
      db.insertInto('integration_log').values({
        id: param<string>('id'),
        project_id: projectId,
        at: param<string>('at'),
        external_user_id: externalUserId,
        trigger: param<string>('trigger'),
        outcome: param<string>('outcome'),
        http_status: param<number | null>('httpStatus'),
        latency_ms: param<number | null>('latencyMs'),
        error_class: param<string | null>('errorClass'),
        message: param<string | null>('message'),
        details: param<string>('details'),
      }),
    ),
    // Keep the newest LOG_RETENTION rows of this project (rows sharing the cutoff's millisecond
    // stay too). The cutoff is one step through the (project_id, at) index; comparing every row
    // with the list of the newest LOG_RETENTION ids cost ~1 ms per attempt (bench/identity.ts).
    pruneLog: compileOnce(
      db
        .deleteFrom('integration_log')
        .where('project_id', '=', projectId)
        .where(
          'at',
          '<',
          db
            .selectFrom('integration_log')
            .select('at')
            .where('project_id', '=', projectId)
            .orderBy('at', 'desc')
            .limit(1)
            .offset(LOG_RETENTION - 1),
        ),
    ),
  };
}
