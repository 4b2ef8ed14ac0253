import { useStore } from '@nanostores/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { CreateProjectRequest } from '../../../protocol/index.js';
import { Field, describedBy } from '../../components/Field.js';
import { Icon } from '../../components/Icon.js';
import { Notice } from '../../components/Notice.js';
import { PageHead } from '../../components/PageHead.js';
import { check, messageFor, originsOf } from '../../lib/form.js';
import { $adminProjects, createProject, loadAdminProjects } from '../../stores/admin-projects.js';
import { hrefOf, navigate } from '../../stores/route.js';
import { useSettingsForm } from './form.js';
import { AddButton } from './SettingsList.js';

const FIELDS = ['name', 'id', 'allowedOrigins'];

export function ProjectsPage() {
  const state = useStore($adminProjects);
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    void loadAdminProjects();
  }, []);

  return (
    <div class="page">
      <PageHead
        title="Projects"
        actions={
          creating ? null : <AddButton label="New project" onClick={() => setCreating(true)} />
        }
      >
        Each project is one site with its own widget and allowed origins.
      </PageHead>
      {creating ? <CreateProjectForm onCancel={() => setCreating(false)} /> : null}
      <Notice text={state.error} />
      {state.items.length > 0 ? (
        <ul class="project-list">
          {state.items.map((project) => (
            <li key={project.id}>
              <a class="project-card" href={hrefOf({ name: 'project', id: project.id })}>
                <span class="project-swatch" style={{ background: project.widget.color }}>
                  <Icon name="chat" size={18} />
                </span>
                <span class="project-card-body">
                  <span class="project-card-title">
                    <span class="strong">{project.name}</span>
                    <code class="code-chip">{project.id}</code>
                  </span>
                  <span class="project-card-origins">
                    {project.allowedOrigins.length === 0 ? (
                      <span class="warning-text">
                        No allowed origins yet — the widget will not start anywhere
                      </span>
                    ) : (
                      project.allowedOrigins.map((origin) => (
                        <span key={origin} class="chip">
                          {origin}
                        </span>
                      ))
                    )}
                  </span>
                </span>
                <span class="project-card-go">
                  Settings
                  <Icon name="chevron" size={14} />
                </span>
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {state.loaded && state.items.length === 0 ? (
        <div class="card empty">
          <p class="empty-title">No projects yet</p>
          <p class="empty-text">Create one to get an embed snippet for your site.</p>
        </div>
      ) : null}
      {state.loading && !state.loaded ? <p class="loading">Loading…</p> : null}
    </div>
  );
}

function CreateProjectForm({ onCancel }: { onCancel: () => void }) {
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [origins, setOrigins] = useState('');
  const form = useSettingsForm(FIELDS);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const body = {
      name: name.trim(),
      allowedOrigins: originsOf(origins),
      ...(slug.trim() ? { id: slug.trim() } : {}),
    };
    await form.submit(check(CreateProjectRequest, body), async () => {
      const project = await createProject(body);
      navigate({ name: 'project', id: project.id });
    });
  }

  const msg = (path: string) => messageFor(form.problems, path);
  return (
    <form class="card form" onSubmit={(e) => void submit(e)} noValidate aria-label="New project">
      <h2 class="card-title">New project</h2>
      <Notice text={form.summary} />
      <div class="form-row">
        <Field id="project-name" label="Name" error={msg('name')}>
          <input
            ref={first}
            class="input"
            {...describedBy('project-name', msg('name'))}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <Field
          id="project-slug"
          label="Project id (optional)"
          hint="Lowercase letters, digits and dashes; generated when empty."
          error={msg('id')}
        >
          <input
            class="input"
            {...describedBy('project-slug', msg('id'), true)}
            value={slug}
            onInput={(e) => setSlug(e.currentTarget.value)}
          />
        </Field>
      </div>
      <Field
        id="project-origins"
        label="Allowed origins"
        hint="One per line, e.g. https://www.example.com"
        error={msg('allowedOrigins')}
      >
        <textarea
          class="input textarea"
          rows={3}
          {...describedBy('project-origins', msg('allowedOrigins'), true)}
          value={origins}
          onInput={(e) => setOrigins(e.currentTarget.value)}
        />
      </Field>
      <div class="form-actions">
        <button type="button" class="button button-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="button button-primary" disabled={form.saving}>
          {form.saving ? 'Creating…' : 'Create project'}
        </button>
      </div>
    </form>
  );
}
