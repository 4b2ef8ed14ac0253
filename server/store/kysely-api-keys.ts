import type { Kysely, Selectable } from 'kysely';
import type { ApiKeyRole } from '../../protocol/index.js';
import type { ApiKeyListing, ApiKeyRecord, ApiKeyStore } from './api-keys-port.js';
import { compileOnce, param, runStatement } from './compiled.js';
import type { ApiKeysTable, Database } from './schema.js';
import { insertUnique } from './unique-violation.js';

export class KyselyApiKeyStore implements ApiKeyStore {
  /** Every request of the public API reads its key: the query is built once. */
  private readonly byHashStatement;

  constructor(private readonly db: Kysely<Database>) {
    this.byHashStatement = compileOnce(
      db.selectFrom('api_keys').selectAll().where('hash', '=', param<string>('hash')),
    );
  }

  async create(k: ApiKeyRecord): Promise<void> {
    await insertUnique('API key', 'hash', () =>
      this.db
        .insertInto('api_keys')
        .values({
          id: k.id,
          project_id: k.projectId,
          label: k.label,
          prefix: k.prefix,
          hash: k.hash,
          roles: JSON.stringify(k.roles),
          created_by: k.createdBy,
          created_at: k.createdAt,
          expires_at: k.expiresAt,
          last_used_at: k.lastUsedAt,
          revoked_at: k.revokedAt,
        })
        .execute(),
    );
  }

  async list(projectId: string): Promise<ApiKeyListing[]> {
    const rows = await this.listing()
      .where('k.project_id', '=', projectId)
      .orderBy('k.created_at', 'desc')
      .orderBy('k.id', 'desc')
      .execute();
    return rows.map(toListing);
  }

  async get(projectId: string, id: string): Promise<ApiKeyListing | null> {
    const row = await this.listing()
      .where('k.project_id', '=', projectId)
      .where('k.id', '=', id)
      .executeTakeFirst();
    return row ? toListing(row) : null;
  }

  async byHash(hash: string): Promise<ApiKeyRecord | null> {
    const row = await runStatement(this.db, this.byHashStatement, { hash });
    return row ? toRecord(row) : null;
  }

  async revoke(projectId: string, id: string, at: string): Promise<ApiKeyListing | null> {
    await this.db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    return this.get(projectId, id);
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db
      .updateTable('api_keys')
      .set({ last_used_at: at })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
      .execute();
  }

  private listing() {
    return this.db
      .selectFrom('api_keys as k')
      .leftJoin('agents as a', 'a.id', 'k.created_by')
      .select([
        'k.id',
        'k.project_id',
        'k.label',
        'k.prefix',
        'k.roles',
        'k.created_by',
        'k.created_at',
        'k.expires_at',
        'k.last_used_at',
        'k.revoked_at',
        'a.name as creator_name',
      ]);
  }
}

type ListingRow = Omit<Selectable<ApiKeysTable>, 'hash'> & { creator_name: string | null };

function toListing(row: ListingRow): ApiKeyListing {
  return {
    id: row.id,
    projectId: row.project_id,
    label: row.label,
    prefix: row.prefix,
    roles: JSON.parse(row.roles) as ApiKeyRole[],
    createdBy:
      row.created_by !== null && row.creator_name !== null
        ? { id: row.created_by, name: row.creator_name }
        : null,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

function toRecord(row: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    label: row.label,
    prefix: row.prefix,
    hash: row.hash,
    roles: JSON.parse(row.roles) as ApiKeyRole[],
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
