import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, SigningSecretsTable } from './schema.js';
import type { SigningSecretRecord, SigningSecretStore } from './signing-secrets-port.js';
import { insertUnique } from './unique-violation.js';

export class KyselySigningSecretStore implements SigningSecretStore {
  constructor(private readonly db: Kysely<Database>) {}

  async active(projectId: string, at: string): Promise<SigningSecretRecord[]> {
    const rows = await this.db
      .selectFrom('signing_secrets')
      .selectAll()
      .where('project_id', '=', projectId)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
      // The primary first even when a rotation came within the same millisecond as the last.
      .orderBy(sql`case when expires_at is null then 0 else 1 end`)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toRecord);
  }

  async createIfAbsent(secret: SigningSecretRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('signing_secrets')
      .values(toRow({ ...secret, expiresAt: null }))
      .onConflict((oc) => oc.column('project_id').where('expires_at', 'is', null).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async rotate(secret: SigningSecretRecord, graceUntil: string): Promise<void> {
    const at = secret.createdAt;
    await insertUnique('signing secret', 'primary', () =>
      this.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('signing_secrets')
          .set({ expires_at: graceUntil })
          .where('project_id', '=', secret.projectId)
          .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', graceUntil)]))
          .execute();
        await trx
          .deleteFrom('signing_secrets')
          .where('project_id', '=', secret.projectId)
          .where((eb) => eb.or([eb('shown', '=', 0), eb('expires_at', '<=', at)]))
          .execute();
        await trx
          .insertInto('signing_secrets')
          .values(toRow({ ...secret, expiresAt: null }))
          .execute();
      }),
    );
  }
}

function toRow(s: SigningSecretRecord): SigningSecretsTable {
  return {
    id: s.id,
    project_id: s.projectId,
    prefix: s.prefix,
    sealed: s.sealed,
    shown: s.shown ? 1 : 0,
    created_at: s.createdAt,
    expires_at: s.expiresAt,
  };
}

function toRecord(row: Selectable<SigningSecretsTable>): SigningSecretRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    prefix: row.prefix,
    sealed: row.sealed,
    shown: row.shown === 1,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
