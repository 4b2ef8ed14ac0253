import type { Provenance } from '../../protocol/index.js';
import { searchText } from './contact-search.js';
import type { AuditEntry, ContactRecord } from './contacts-port.js';
import type { AuditLogTable, ContactsTable } from './schema.js';

/** Row ↔ record mapping of the contact store. */

/** The columns a contact record is read from (never the search index's). */
export const CONTACT_COLUMNS = [
  'project_id',
  'external_user_id',
  'profile',
  'name',
  'fetched_at',
  'http_status',
  'latency_ms',
  'last_attempt',
  'created_at',
  'updated_at',
  'provenance',
  'identity',
  'not_found_at_site_at',
  'sources',
  'search',
] as const satisfies readonly (keyof ContactsTable)[];

export type ContactRow = Pick<ContactsTable, (typeof CONTACT_COLUMNS)[number]>;

/** The columns written for a contact, in CONTACT_COLUMNS order. */
export type ContactValues = [
  projectId: string,
  externalUserId: string,
  profile: string | null,
  name: string | null,
  fetchedAt: string | null,
  httpStatus: number | null,
  latencyMs: number | null,
  lastAttempt: string | null,
  createdAt: string,
  updatedAt: string,
  provenance: string,
  identity: string | null,
  notFoundAtSiteAt: string | null,
  sources: string,
  search: string,
];

function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function toContactRecord(row: ContactRow): ContactRecord {
  return {
    projectId: row.project_id,
    externalUserId: row.external_user_id,
    profile: parseJson(row.profile),
    provenance: JSON.parse(row.provenance) as Provenance,
    identity: row.identity,
    notFoundAtSiteAt: row.not_found_at_site_at,
    fetchedAt: row.fetched_at,
    httpStatus: row.http_status === null ? null : Number(row.http_status),
    latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
    lastAttempt: parseJson(row.last_attempt),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The sources any field or property came from, for the list's filter. */
export function sourcesOf(provenance: Provenance): string {
  const seen = new Set<string>();
  for (const f of Object.values(provenance.fields)) if (f) seen.add(f.source);
  for (const p of Object.values(provenance.properties)) seen.add(p.source);
  return [...seen].sort().join(' ');
}

/** What is stored for `r`, under the project and id it is stored for whatever `r` says. */
export function contactValues(
  projectId: string,
  externalUserId: string,
  r: ContactRecord,
): ContactValues {
  return [
    projectId,
    externalUserId,
    r.profile ? JSON.stringify(r.profile) : null,
    r.profile?.name ?? null,
    r.fetchedAt,
    r.httpStatus,
    r.latencyMs,
    r.lastAttempt ? JSON.stringify(r.lastAttempt) : null,
    r.createdAt,
    r.updatedAt,
    JSON.stringify(r.provenance),
    r.identity,
    r.notFoundAtSiteAt,
    sourcesOf(r.provenance),
    searchText(externalUserId, r.profile),
  ];
}

export function valuesToRow(v: ContactValues): ContactRow {
  const row: Record<string, unknown> = {};
  CONTACT_COLUMNS.forEach((column, i) => (row[column] = v[i]));
  return row as ContactRow;
}

export function toAuditEntry(row: AuditLogTable): AuditEntry {
  return {
    id: row.id,
    projectId: row.project_id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    details: JSON.parse(row.details) as AuditEntry['details'],
  };
}

export function auditRow(entry: AuditEntry, mergedFrom: string | null): AuditLogTable {
  return {
    id: entry.id,
    project_id: entry.projectId,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    details: JSON.stringify(entry.details),
    merged_from: mergedFrom,
  };
}
