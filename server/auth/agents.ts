import type { Agent, CreateAgentRequest, UpdateAgentRequest } from '../../protocol/index.js';
import type { Announcer } from '../announcer/index.js';
import { AppError, conflict, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { DuplicateError, type AgentRecord, type Store } from '../store/index.js';
import { decoyHash, hashPassword, verifyPassword } from './passwords.js';

export function toAgentView(a: AgentRecord): Agent {
  return {
    id: a.id,
    email: a.email,
    name: a.name,
    role: a.role,
    active: a.active,
    projectIds: a.projectIds,
    createdAt: a.createdAt,
  };
}

/** Agent accounts: creation, changes, and password checks. */
export class AgentService {
  constructor(
    private readonly store: Store,
    private readonly announcer: Announcer,
  ) {}

  /** The agent for these credentials, or null. Takes about as long for unknown emails. */
  async authenticate(email: string, password: string): Promise<AgentRecord | null> {
    const agent = await this.store.agents.byEmail(email.trim());
    if (!agent) {
      await verifyPassword(await decoyHash(), password);
      return null;
    }
    if (!(await verifyPassword(agent.passwordHash, password))) return null;
    return agent.active ? agent : null;
  }

  async create(input: CreateAgentRequest): Promise<AgentRecord> {
    const record = await this.newRecord(input);
    try {
      await this.store.agents.create(record);
    } catch (error) {
      if (error instanceof DuplicateError)
        throw conflict(`An agent with email ${record.email} exists`);
      throw error;
    }
    return record;
  }

  async update(actorId: string, id: string, input: UpdateAgentRequest): Promise<AgentRecord> {
    const existing = await this.store.agents.get(id);
    if (!existing) throw notFound('Agent');
    if (actorId === id && (input.active === false || (input.role && input.role !== 'admin'))) {
      throw new AppError(
        'forbidden',
        403,
        'You cannot deactivate yourself or remove your own admin role; ask another admin',
      );
    }
    if (input.projectIds) await this.assertProjectsExist(input.projectIds);
    const patch: Parameters<Store['agents']['update']>[1] = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.role !== undefined) patch.role = input.role;
    if (input.active !== undefined) patch.active = input.active;
    if (input.projectIds !== undefined) patch.projectIds = [...new Set(input.projectIds)];
    if (input.password !== undefined) patch.passwordHash = await hashPassword(input.password);
    const updated = await this.store.agents.update(id, patch);
    if (!updated) throw notFound('Agent');
    if (input.active === false || input.password !== undefined) {
      await this.store.agents.deleteSessionsOf(id);
    }
    await this.announcer.agentAccessChanged([updated.id]);
    return updated;
  }

  /**
   * Seeds an agent unless one with that email exists; returns whether it did. Safe when instances
   * starting together seed the same agent.
   */
  async ensure(input: CreateAgentRequest): Promise<boolean> {
    // Seeding runs on every start: an existing agent costs a read, not a password hash.
    if (await this.store.agents.byEmail(input.email)) return false;
    return this.store.agents.createIfAbsent(await this.newRecord(input));
  }

  /**
   * Creates the agent only while there is no agent at all (the first admin of a deployment);
   * returns whether it did. Of instances starting together on an empty database, one creates.
   */
  async createFirst(input: CreateAgentRequest): Promise<boolean> {
    return this.store.agents.createFirst(await this.newRecord(input));
  }

  private async newRecord(input: CreateAgentRequest): Promise<AgentRecord> {
    await this.assertProjectsExist(input.projectIds);
    return {
      id: newId('agt'),
      email: input.email.toLowerCase(),
      name: input.name,
      role: input.role,
      active: true,
      passwordHash: await hashPassword(input.password),
      projectIds: [...new Set(input.projectIds)],
      createdAt: new Date().toISOString(),
    };
  }

  private async assertProjectsExist(projectIds: string[]): Promise<void> {
    const found = await this.store.projects.list(projectIds);
    const missing = projectIds.filter((id) => !found.some((p) => p.id === id));
    if (missing.length > 0) {
      throw new AppError('validation_failed', 422, `Unknown project: ${missing.join(', ')}`, [
        { path: 'projectIds', message: `Unknown project: ${missing.join(', ')}` },
      ]);
    }
  }
}
