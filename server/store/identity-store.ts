import { sql, type Kysely, type Selectable } from 'kysely';
import type {
  FetchAttempt,
  IntegrationHealth,
  IntegrationLogEntry,
  IntegrationLogQuery,
  Profile,
} from '../../protocol/index.js';
import { compileOnce, param, runStatement } from './compiled.js';
import type { ContactsTable, Database, ProjectIntegrationsTable } from './schema.js';

/** A project's integration as stored: secrets stay sealed at this layer. */
export interface IntegrationRecord {
  projectId: string;
  enabled: boolean;
  style: 'path' | 'query';
  url: string;
  paramName: string;
  method: 'GET' | 'POST';
  headersSealed: string | null;
  freshnessSeconds: number;
  requireVerified: boolean;
  secretsSealed: string | null;
  health: Omit<IntegrationHealth, 'pausedUntil'>;
  updatedAt: string | null;
}

export interface ContactRecord {
  projectId: string;
  externalUserId: string;
  profile: Profile | null;
  fetchedAt: string | null;
  httpStatus: number | null;
  latencyMs: number | null;
  lastAttempt: FetchAttempt | null;
}

/** A successful fetch (200 with a profile, or 404: the site does not know this id). */
export interface FetchedProfile {
  profile: Profile | null;
  fetchedAt: string;
  httpStatus: number;
  latencyMs: number;
}

export type NewLogEntry = IntegrationLogEntry & { projectId: string };

/** How many integration log entries a project keeps. */
export const LOG_RETENTION = 1000;

export interface IdentityStore {
  getIntegration(projectId: string): Promise<IntegrationRecord | null>;
  saveIntegration(record: IntegrationRecord): Promise<void>;
  /** Stores a new integration unless the project has one; racing callers keep the first. */
  createIntegrationIfAbsent(record: IntegrationRecord): Promise<void>;
  /**
   * Saves the record only while the stored one has no endpoint URL; true when it did. Of callers
   * racing to configure an unconfigured integration, exactly one does.
   */
  saveIntegrationIfUnconfigured(record: IntegrationRecord): Promise<boolean>;
  saveHealth(projectId: string, health: IntegrationRecord['health']): Promise<void>;
  getContact(projectId: string, externalUserId: string): Promise<ContactRecord | null>;
  /** Records an attempt; `fetched` replaces the profile, otherwise the last good one stays. */
  recordAttempt(
    projectId: string,
    externalUserId: string,
    attempt: FetchAttempt,
    fetched: FetchedProfile | null,
  ): Promise<ContactRecord>;
  appendLog(entry: NewLogEntry): Promise<void>;
  listLog(projectId: string, query: IntegrationLogQuery): Promise<IntegrationLogEntry[]>;
  addVisitorToken(visitorId: string, tokenHash: string, createdAt: string): Promise<void>;
  /** The first visitor who proved this id: every verified device joins it. */
  findVerifiedVisitorId(projectId: string, externalUserId: string): Promise<string | null>;
  /** Visitors carrying this external id, each with its conversation ids. */
  visitorsOfContact(
    projectId: string,
    externalUserId: string,
  ): Promise<{ visitorId: string; conversationIds: string[] }[]>;
}

function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

function toIntegration(row: Selectable<ProjectIntegrationsTable>): IntegrationRecord {
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

function toContact(row: Selectable<ContactsTable>): ContactRecord {
  return {
    projectId: row.project_id,
    externalUserId: row.external_user_id,
    profile: parseJson(row.profile),
    fetchedAt: row.fetched_at,
    httpStatus: row.http_status === null ? null : Number(row.http_status),
    latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
    lastAttempt: parseJson(row.last_attempt),
  };
}

function integrationColumns(r: IntegrationRecord) {
  return {
    enabled: r.enabled ? 1 : 0,
    style: r.style,
    url: r.url,
    param_name: r.paramName,
    method: r.method,
    headers_sealed: r.headersSealed,
    freshness_seconds: r.freshnessSeconds,
    require_verified: r.requireVerified ? 1 : 0,
    secrets_sealed: r.secretsSealed,
    ...healthColumns(r.health),
    updated_at: r.updatedAt,
  };
}

function healthColumns(health: IntegrationRecord['health']) {
  return {
    health_status: health.status,
    failing_since: health.failingSince,
    last_success_at: health.lastSuccessAt,
    last_error: health.lastError ? JSON.stringify(health.lastError) : null,
  };
}

/**
 * The statements every profile fetch runs, compiled once: building them with the query builder
 * was most of the ~170 KB each fetch allocated, and of its time beyond the HTTP call
 * (bench/identity.ts).
 */
function compileFetchStatements(db: Kysely<Database>) {
  const projectId = param<string>('projectId');
  const externalUserId = param<string>('externalUserId');
  const attemptColumns = {
    last_attempt: param<string>('lastAttempt'),
    updated_at: param<string>('at'),
  };
  const profileColumns = {
    profile: param<string | null>('profile'),
    name: param<string | null>('name'),
    fetched_at: param<string>('fetchedAt'),
    http_status: param<number>('httpStatus'),
    latency_ms: param<number>('latencyMs'),
  };
  const upsertContact = (withProfile: boolean) =>
    compileOnce(
      db
        .insertInto('contacts')
        .values({
          project_id: projectId,
          external_user_id: externalUserId,
          profile: null,
          name: null,
          fetched_at: null,
          http_status: null,
          latency_ms: null,
          ...(withProfile ? profileColumns : {}),
          ...attemptColumns,
          created_at: param<string>('at'),
        })
        .onConflict((oc) =>
          oc
            .columns(['project_id', 'external_user_id'])
            .doUpdateSet({ ...(withProfile ? profileColumns : {}), ...attemptColumns }),
        )
        .returningAll(),
    );
  return {
    getContact: compileOnce(
      db
        .selectFrom('contacts')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('external_user_id', '=', externalUserId),
    ),
    recordAttempt: upsertContact(false),
    recordFetch: upsertContact(true),
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

  async getContact(projectId: string, externalUserId: string): Promise<ContactRecord | null> {
    const row = await runStatement(this.db, this.fetch.getContact, { projectId, externalUserId });
    return row ? toContact(row) : null;
  }

  async recordAttempt(
    projectId: string,
    externalUserId: string,
    attempt: FetchAttempt,
    fetched: FetchedProfile | null,
  ): Promise<ContactRecord> {
    const values = {
      projectId,
      externalUserId,
      lastAttempt: JSON.stringify(attempt),
      at: attempt.at,
      ...(fetched
        ? {
            profile: fetched.profile ? JSON.stringify(fetched.profile) : null,
            name: fetched.profile?.name ?? null,
            fetchedAt: fetched.fetchedAt,
            httpStatus: fetched.httpStatus,
            latencyMs: fetched.latencyMs,
          }
        : {}),
    };
    const statement = fetched ? this.fetch.recordFetch : this.fetch.recordAttempt;
    const row = await runStatement(this.db, statement, values);
    if (!row) throw new Error('The contact upsert returned no row');
    return toContact(row);
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

  async addVisitorToken(visitorId: string, tokenHash: string, createdAt: string): Promise<void> {
    await this.db
      .insertInto('visitor_tokens')
      .values({ token_hash: tokenHash, visitor_id: visitorId, created_at: createdAt })
      .execute();
  }

  async findVerifiedVisitorId(projectId: string, externalUserId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('visitors')
      .select('id')
      .where('project_id', '=', projectId)
      .where('external_user_id', '=', externalUserId)
      .where('identity', '=', 'verified')
      .orderBy('first_seen_at')
      .orderBy(sql.ref('id'))
      .limit(1)
      .executeTakeFirst();
    return row?.id ?? null;
  }

  async visitorsOfContact(
    projectId: string,
    externalUserId: string,
  ): Promise<{ visitorId: string; conversationIds: string[] }[]> {
    const rows = await this.db
      .selectFrom('visitors')
      .leftJoin('conversations', 'conversations.visitor_id', 'visitors.id')
      .select(['visitors.id as visitorId', 'conversations.id as conversationId'])
      .where('visitors.project_id', '=', projectId)
      .where('visitors.external_user_id', '=', externalUserId)
      .execute();
    const byVisitor = new Map<string, string[]>();
    for (const row of rows) {
      const list = byVisitor.get(row.visitorId) ?? [];
      if (row.conversationId) list.push(row.conversationId);
      byVisitor.set(row.visitorId, list);
    }
    return [...byVisitor].map(([visitorId, conversationIds]) => ({ visitorId, conversationIds }));
  }
}
