import { atom } from 'nanostores';
import type { Project } from '../../protocol/index.js';
import { fetchMyProjects } from '../api/conversations.js';

/** Projects the signed-in agent works in (all of them for admins). */
export const $projects = atom<Project[]>([]);

export async function loadProjects(): Promise<void> {
  $projects.set((await fetchMyProjects()).items);
}

export function rememberProject(project: Project): void {
  const list = $projects.get();
  const exists = list.some((p) => p.id === project.id);
  $projects.set(exists ? list.map((p) => (p.id === project.id ? project : p)) : [...list, project]);
}

export function resetProjects(): void {
  $projects.set([]);
}
