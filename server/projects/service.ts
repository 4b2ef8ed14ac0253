import {
  DEFAULT_WIDGET_OPTIONS,
  type CreateProjectRequest,
  type Project,
  type UpdateProjectRequest,
  type WidgetOptions,
} from '../../protocol/index.js';
import type { Announcer } from '../announcer/index.js';
import { conflict, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { DuplicateError, type ProjectRecord, type Store } from '../store/index.js';

/** Applies the options that are set in `patch` on top of `base`. */
export function mergeWidgetOptions(
  base: WidgetOptions,
  patch: Partial<{ [K in keyof WidgetOptions]: WidgetOptions[K] | undefined }> | undefined,
): WidgetOptions {
  return {
    color: patch?.color ?? base.color,
    position: patch?.position ?? base.position,
    greeting: patch?.greeting ?? base.greeting,
    zIndex: patch?.zIndex ?? base.zIndex,
  };
}

export function toProjectView(p: ProjectRecord): Project {
  return {
    id: p.id,
    name: p.name,
    allowedOrigins: p.allowedOrigins,
    widget: p.widget,
    createdAt: p.createdAt,
  };
}

/** Origins compare case-insensitively on scheme and host; ports must match exactly. */
export function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

export function isOriginAllowed(project: ProjectRecord, origin: string | undefined): boolean {
  if (!origin) return false;
  const wanted = normalizeOrigin(origin);
  return project.allowedOrigins.some((allowed) => normalizeOrigin(allowed) === wanted);
}

export class ProjectService {
  constructor(
    private readonly store: Store,
    private readonly announcer: Announcer,
  ) {}

  async create(input: CreateProjectRequest): Promise<ProjectRecord> {
    const record = toRecord(input);
    try {
      await this.store.projects.create(record);
    } catch (error) {
      if (error instanceof DuplicateError)
        throw conflict(`A project with id "${record.id}" exists`);
      throw error;
    }
    // Admins work in every project, so their open sockets must start hearing this one.
    const admins = (await this.store.agents.list()).filter((a) => a.role === 'admin' && a.active);
    await this.announcer.agentAccessChanged(admins.map((a) => a.id));
    return record;
  }

  async update(id: string, input: UpdateProjectRequest): Promise<ProjectRecord> {
    const existing = await this.get(id);
    const patch: Parameters<Store['projects']['update']>[1] = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.allowedOrigins !== undefined) {
      patch.allowedOrigins = [...new Set(input.allowedOrigins.map(normalizeOrigin))];
    }
    if (input.widget !== undefined)
      patch.widget = mergeWidgetOptions(existing.widget, input.widget);
    const updated = await this.store.projects.update(id, patch);
    if (!updated) throw notFound('Project');
    return updated;
  }

  async get(id: string): Promise<ProjectRecord> {
    const project = await this.store.projects.get(id);
    if (!project) throw notFound(`Project "${id}"`);
    return project;
  }

  /**
   * Creates the project unless it exists; returns whether it did. Safe when instances starting
   * together seed the same project: one creates it, the others find it.
   */
  ensure(input: CreateProjectRequest & { id: string }): Promise<boolean> {
    return this.store.projects.createIfAbsent(toRecord(input));
  }
}

function toRecord(input: CreateProjectRequest): ProjectRecord {
  return {
    id: input.id ?? newId('prj'),
    name: input.name,
    allowedOrigins: [...new Set(input.allowedOrigins.map(normalizeOrigin))],
    widget: mergeWidgetOptions(DEFAULT_WIDGET_OPTIONS, input.widget),
    createdAt: new Date().toISOString(),
  };
}
