import type { WidgetOptions } from '../../protocol/index.js';

export interface ProjectRecord {
  id: string;
  name: string;
  allowedOrigins: string[];
  widget: WidgetOptions;
  createdAt: string;
}

export type ProjectPatch = Partial<Pick<ProjectRecord, 'name' | 'allowedOrigins' | 'widget'>>;

/** The sites that embed the widget. */
export interface ProjectStore {
  /** Throws DuplicateError (`project`, `id`) when a project with this id exists. */
  create(project: ProjectRecord): Promise<void>;
  /**
   * Creates the project unless one with its id exists; true when this call created it. Callers
   * racing with the same id (instances seeding at start) get exactly one `true`.
   */
  createIfAbsent(project: ProjectRecord): Promise<boolean>;
  update(id: string, patch: ProjectPatch): Promise<ProjectRecord | null>;
  get(id: string): Promise<ProjectRecord | null>;
  /** All projects, or those among `ids`, oldest first. */
  list(ids?: string[]): Promise<ProjectRecord[]>;
}
