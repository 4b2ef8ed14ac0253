import { useStore } from '@nanostores/preact';
import { useEffect, useState } from 'preact/hooks';
import { CreateProjectRequest } from '../../../protocol/index.js';
import type { FieldProblem } from '../../api/request.js';
import { Field, describedBy } from '../../components/Field.js';
import { check, formError, linesOf, messageFor, problemsOf } from '../../lib/form.js';
import { $adminProjects, createProject, loadAdminProjects } from '../../stores/admin-projects.js';
import { hrefOf, navigate } from '../../stores/route.js';

export function ProjectsPage() {
  const state = useStore($adminProjects);
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    void loadAdminProjects();
  }, []);

  return (
    <div class="page">
      <header class="page-head">
        <div>
          <h1>Projects</h1>
          <p class="page-sub">Each project is one site with its own widget and allowed origins.</p>
        </div>
        {creating ? null : (
          <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
            New project
          </button>
        )}
      </header>
      {creating ? <CreateProjectForm onCancel={() => setCreating(false)} /> : null}
      {state.error ? (
        <p class="notice notice-error" role="alert">
          {state.error}
        </p>
      ) : null}
      <div class="card">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Project id</th>
              <th scope="col">Allowed origins</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {state.items.map((project) => (
              <tr key={project.id}>
                <td class="strong">{project.name}</td>
                <td>
                  <code>{project.id}</code>
                </td>
                <td class="muted">
                  {project.allowedOrigins.length === 0
                    ? 'None yet'
                    : project.allowedOrigins.join(', ')}
                </td>
                <td class="cell-actions">
                  <a class="button button-small" href={hrefOf({ name: 'project', id: project.id })}>
                    Edit
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {state.loaded && state.items.length === 0 ? (
          <p class="empty-text table-empty">No projects yet. Create one to get an embed snippet.</p>
        ) : null}
        {state.loading && !state.loaded ? <p class="loading">Loading…</p> : null}
      </div>
    </div>
  );
}

function CreateProjectForm({ onCancel }: { onCancel: () => void }) {
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [origins, setOrigins] = useState('');
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const body = {
      name: name.trim(),
      allowedOrigins: linesOf(origins),
      ...(slug.trim() ? { id: slug.trim() } : {}),
    };
    const local = check(CreateProjectRequest, body);
    setProblems(local);
    setError(local.length > 0 ? new Error('invalid') : null);
    if (local.length > 0) return;
    setSaving(true);
    try {
      const project = await createProject(body);
      navigate({ name: 'project', id: project.id });
    } catch (e) {
      setProblems(problemsOf(e));
      setError(e);
      setSaving(false);
    }
  }

  const summary = formError(error, problems, ['name', 'id', 'allowedOrigins']);
  return (
    <form class="card form" onSubmit={(e) => void submit(e)} noValidate aria-label="New project">
      <h2 class="card-title">New project</h2>
      {summary ? (
        <p class="notice notice-error" role="alert">
          {summary}
        </p>
      ) : null}
      <div class="form-row">
        <Field id="project-name" label="Name" error={messageFor(problems, 'name')}>
          <input
            class="input"
            {...describedBy('project-name', messageFor(problems, 'name'))}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <Field
          id="project-slug"
          label="Project id (optional)"
          hint="Lowercase letters, digits and dashes; generated when empty."
          error={messageFor(problems, 'id')}
        >
          <input
            class="input"
            {...describedBy('project-slug', messageFor(problems, 'id'), true)}
            value={slug}
            onInput={(e) => setSlug(e.currentTarget.value)}
          />
        </Field>
      </div>
      <Field
        id="project-origins"
        label="Allowed origins"
        hint="One per line, e.g. https://www.example.com"
        error={messageFor(problems, 'allowedOrigins')}
      >
        <textarea
          class="input textarea"
          rows={3}
          {...describedBy('project-origins', messageFor(problems, 'allowedOrigins'), true)}
          value={origins}
          onInput={(e) => setOrigins(e.currentTarget.value)}
        />
      </Field>
      <div class="form-actions">
        <button type="button" class="button button-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="button button-primary" disabled={saving}>
          {saving ? 'Creating…' : 'Create project'}
        </button>
      </div>
    </form>
  );
}
