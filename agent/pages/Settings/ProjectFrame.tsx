import { useStore } from '@nanostores/preact';
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import type { Project } from '../../../protocol/index.js';
import { $adminProjects, loadAdminProjects } from '../../stores/admin-projects.js';
import { hrefOf, type Route } from '../../stores/route.js';

export type ProjectTab =
  'general' | 'integration' | 'log' | 'api-keys' | 'signing-secret' | 'cards' | 'webhooks';

const TABS: { tab: ProjectTab; label: string; route: (id: string) => Route }[] = [
  { tab: 'general', label: 'General', route: (id) => ({ name: 'project', id }) },
  { tab: 'integration', label: 'API Integration', route: (id) => ({ name: 'integration', id }) },
  { tab: 'log', label: 'Integration log', route: (id) => ({ name: 'integration-log', id }) },
  { tab: 'api-keys', label: 'API keys', route: (id) => ({ name: 'api-keys', id }) },
  {
    tab: 'signing-secret',
    label: 'Signing secret',
    route: (id) => ({ name: 'signing-secret', id }),
  },
  { tab: 'cards', label: 'Cards', route: (id) => ({ name: 'cards', id }) },
  { tab: 'webhooks', label: 'Webhooks', route: (id) => ({ name: 'webhooks', id }) },
];

/** Breadcrumb, title and tabs shared by a project's settings pages. */
export function ProjectFrame(props: {
  id: string;
  tab: ProjectTab;
  children: (project: Project) => ComponentChildren;
}) {
  const state = useStore($adminProjects);
  const project = state.items.find((p) => p.id === props.id);

  useEffect(() => {
    if (!$adminProjects.get().loaded) void loadAdminProjects();
  }, []);

  const current = TABS.find((t) => t.tab === props.tab);
  return (
    <div class="page">
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={hrefOf({ name: 'projects' })}>Projects</a>
        <span aria-hidden="true">/</span>
        {props.tab === 'general' ? (
          <span>{project?.name ?? props.id}</span>
        ) : (
          <>
            <a href={hrefOf({ name: 'project', id: props.id })}>{project?.name ?? props.id}</a>
            <span aria-hidden="true">/</span>
            <span>{current?.label}</span>
          </>
        )}
      </nav>
      {project ? (
        <>
          <header class="page-head page-head-tabs">
            <div>
              <h1>{project.name}</h1>
              <p class="page-sub">
                Project id <code>{project.id}</code>
              </p>
            </div>
          </header>
          <nav class="page-tabs" aria-label="Project settings">
            {TABS.map((t) => (
              <a
                key={t.tab}
                class={t.tab === props.tab ? 'page-tab is-active' : 'page-tab'}
                href={hrefOf(t.route(project.id))}
                aria-current={t.tab === props.tab ? 'page' : undefined}
              >
                {t.label}
              </a>
            ))}
          </nav>
          {props.children(project)}
        </>
      ) : state.loaded ? (
        <div class="empty">
          <p class="empty-title">Project not found</p>
        </div>
      ) : state.error ? (
        <p class="notice notice-error" role="alert">
          {state.error}
        </p>
      ) : (
        <p class="loading">Loading…</p>
      )}
    </div>
  );
}
