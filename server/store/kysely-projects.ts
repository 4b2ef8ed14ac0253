import type { Kysely, Selectable } from 'kysely';
import type { ProjectPatch, ProjectRecord, ProjectStore } from './projects-port.js';
import type { Database, ProjectsTable } from './schema.js';
import { insertUnique } from './unique-violation.js';

export class KyselyProjectStore implements ProjectStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(p: ProjectRecord): Promise<void> {
    await insertUnique('project', 'id', () =>
      this.db.insertInto('projects').values(projectRow(p)).execute(),
    );
  }

  async createIfAbsent(p: ProjectRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('projects')
      .values(projectRow(p))
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async update(id: string, patch: ProjectPatch): Promise<ProjectRecord | null> {
    const values: { name?: string; allowed_origins?: string; widget?: string } = {};
    if (patch.name !== undefined) values.name = patch.name;
    if (patch.allowedOrigins !== undefined)
      values.allowed_origins = JSON.stringify(patch.allowedOrigins);
    if (patch.widget !== undefined) values.widget = JSON.stringify(patch.widget);
    if (Object.keys(values).length > 0) {
      await this.db.updateTable('projects').set(values).where('id', '=', id).execute();
    }
    return this.get(id);
  }

  async get(id: string): Promise<ProjectRecord | null> {
    const row = await this.db
      .selectFrom('projects')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toProject(row) : null;
  }

  async list(ids?: string[]): Promise<ProjectRecord[]> {
    if (ids && ids.length === 0) return [];
    let query = this.db.selectFrom('projects').selectAll().orderBy('created_at').orderBy('id');
    if (ids) query = query.where('id', 'in', ids);
    return (await query.execute()).map(toProject);
  }
}

function toProject(row: Selectable<ProjectsTable>): ProjectRecord {
  return {
    id: row.id,
    name: row.name,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    widget: JSON.parse(row.widget) as ProjectRecord['widget'],
    createdAt: row.created_at,
  };
}

function projectRow(p: ProjectRecord) {
  return {
    id: p.id,
    name: p.name,
    allowed_origins: JSON.stringify(p.allowedOrigins),
    widget: JSON.stringify(p.widget),
    created_at: p.createdAt,
  };
}
