import { atom } from 'nanostores';
import type { CreateProjectRequest, Project, UpdateProjectRequest } from '../../protocol/index.js';
import * as admin from '../api/admin.js';
import { ApiError } from '../api/request.js';
import { rememberProject } from './projects.js';

export interface AdminProjectsState {
  items: Project[];
  loading: boolean;
  loaded: boolean;
  error: string | null;
}

const empty = (): AdminProjectsState => ({ items: [], loading: false, loaded: false, error: null });

/** Every project, for the admin's Settings → Projects. */
export const $adminProjects = atom<AdminProjectsState>(empty());

export async function loadAdminProjects(): Promise<void> {
  $adminProjects.set({ ...$adminProjects.get(), loading: true, error: null });
  try {
    const { items } = await admin.fetchAllProjects();
    $adminProjects.set({ items, loading: false, loaded: true, error: null });
  } catch (error) {
    $adminProjects.set({
      ...$adminProjects.get(),
      loading: false,
      error: error instanceof ApiError ? error.message : 'Could not load projects',
    });
  }
}

function remember(project: Project): Project {
  const state = $adminProjects.get();
  const exists = state.items.some((p) => p.id === project.id);
  $adminProjects.set({
    ...state,
    items: exists
      ? state.items.map((p) => (p.id === project.id ? project : p))
      : [...state.items, project],
  });
  rememberProject(project);
  return project;
}

export async function createProject(body: CreateProjectRequest): Promise<Project> {
  return remember(await admin.createProject(body));
}

export async function updateProject(id: string, body: UpdateProjectRequest): Promise<Project> {
  return remember(await admin.updateProject(id, body));
}

export function resetAdminProjects(): void {
  $adminProjects.set(empty());
}
