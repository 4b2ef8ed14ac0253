import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { AgentPatch, AgentRecord, AgentSessionRecord, AgentStore } from './agents-port.js';
import { DuplicateError } from './duplicate.js';
import type { AgentsTable, Database } from './schema.js';
import { insertUnique, isUniqueViolation } from './unique-violation.js';

export class KyselyAgentStore implements AgentStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async create(a: AgentRecord): Promise<void> {
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto('agents').values(agentRow(a)).execute();
        await addMemberships(trx, a);
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Ids are random: the email is what collides, unless the caller reused an id.
      const field = (await this.byEmail(a.email)) ? 'email' : 'id';
      throw new DuplicateError('agent', field, error);
    }
  }

  async createIfAbsent(a: AgentRecord): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .insertInto('agents')
        .values(agentRow(a))
        .onConflict((oc) => oc.column('email').doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      await addMemberships(trx, a);
      return true;
    });
  }

  async createFirst(a: AgentRecord): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      // Whoever looks at the table first must also be the one to write it. PostgreSQL: other
      // writers to agents wait until this commits (the lock conflicts with itself, not with
      // readers). SQLite: the transaction already holds the database's write lock (sqlite.ts).
      if (this.dialect === 'postgres') {
        await sql`lock table agents in share row exclusive mode`.execute(trx);
      }
      const any = await trx.selectFrom('agents').select('id').limit(1).executeTakeFirst();
      if (any) return false;
      await trx.insertInto('agents').values(agentRow(a)).execute();
      await addMemberships(trx, a);
      return true;
    });
  }

  async update(id: string, patch: AgentPatch): Promise<AgentRecord | null> {
    await this.db.transaction().execute(async (trx) => {
      const values: {
        name?: string;
        role?: AgentRecord['role'];
        active?: number;
        password_hash?: string;
      } = {};
      if (patch.name !== undefined) values.name = patch.name;
      if (patch.role !== undefined) values.role = patch.role;
      if (patch.active !== undefined) values.active = patch.active ? 1 : 0;
      if (patch.passwordHash !== undefined) values.password_hash = patch.passwordHash;
      if (Object.keys(values).length > 0) {
        await trx.updateTable('agents').set(values).where('id', '=', id).execute();
      }
      if (patch.projectIds !== undefined) {
        await trx.deleteFrom('agent_projects').where('agent_id', '=', id).execute();
        await addMemberships(trx, { id, projectIds: patch.projectIds });
      }
    });
    return this.get(id);
  }

  async get(id: string): Promise<AgentRecord | null> {
    const row = await this.db
      .selectFrom('agents')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.toAgent(row) : null;
  }

  async byEmail(email: string): Promise<AgentRecord | null> {
    const row = await this.db
      .selectFrom('agents')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
    return row ? this.toAgent(row) : null;
  }

  async list(): Promise<AgentRecord[]> {
    const rows = await this.db.selectFrom('agents').selectAll().orderBy('created_at').execute();
    return Promise.all(rows.map((row) => this.toAgent(row)));
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('agents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  private async toAgent(row: Selectable<AgentsTable>): Promise<AgentRecord> {
    const memberships = await this.db
      .selectFrom('agent_projects')
      .select('project_id')
      .where('agent_id', '=', row.id)
      .orderBy('project_id')
      .execute();
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      active: Number(row.active) === 1,
      passwordHash: row.password_hash,
      projectIds: memberships.map((m) => m.project_id),
      createdAt: row.created_at,
    };
  }

  async createSession(s: AgentSessionRecord): Promise<void> {
    await insertUnique('agent session', 'id', () =>
      this.db
        .insertInto('agent_sessions')
        .values({
          id_hash: s.idHash,
          agent_id: s.agentId,
          csrf_token: s.csrfToken,
          created_at: s.createdAt,
          expires_at: s.expiresAt,
        })
        .execute(),
    );
  }

  async session(idHash: string): Promise<AgentSessionRecord | null> {
    const row = await this.db
      .selectFrom('agent_sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    return row
      ? {
          idHash: row.id_hash,
          agentId: row.agent_id,
          csrfToken: row.csrf_token,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
        }
      : null;
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('agent_sessions').where('id_hash', '=', idHash).execute();
  }

  async deleteSessionsOf(agentId: string): Promise<void> {
    await this.db.deleteFrom('agent_sessions').where('agent_id', '=', agentId).execute();
  }
}

async function addMemberships(
  trx: Transaction<Database>,
  a: Pick<AgentRecord, 'id' | 'projectIds'>,
): Promise<void> {
  if (a.projectIds.length === 0) return;
  await trx
    .insertInto('agent_projects')
    .values(a.projectIds.map((projectId) => ({ agent_id: a.id, project_id: projectId })))
    .execute();
}

function agentRow(a: AgentRecord) {
  return {
    id: a.id,
    email: a.email.toLowerCase(),
    name: a.name,
    password_hash: a.passwordHash,
    role: a.role,
    active: a.active ? 1 : 0,
    created_at: a.createdAt,
  };
}
