import { useStore } from '@nanostores/preact';
import { useEffect, useState } from 'preact/hooks';
import {
  UpdateProjectRequest,
  type Project,
  type WidgetPosition,
} from '../../../protocol/index.js';
import type { FieldProblem } from '../../api/request.js';
import { EmbedSnippet } from '../../components/EmbedSnippet.js';
import { Field, describedBy } from '../../components/Field.js';
import { check, formError, linesOf, messageFor, problemsOf } from '../../lib/form.js';
import { $adminProjects, loadAdminProjects, updateProject } from '../../stores/admin-projects.js';

export function ProjectEditPage({ id, publicUrl }: { id: string; publicUrl: string }) {
  const state = useStore($adminProjects);
  const project = state.items.find((p) => p.id === id);

  useEffect(() => {
    if (!$adminProjects.get().loaded) void loadAdminProjects();
  }, []);

  return (
    <div class="page">
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href="#/settings/projects">Projects</a>
        <span aria-hidden="true">/</span>
        <span>{project?.name ?? id}</span>
      </nav>
      {project ? (
        <>
          <header class="page-head">
            <div>
              <h1>{project.name}</h1>
              <p class="page-sub">
                Project id <code>{project.id}</code>
              </p>
            </div>
          </header>
          <ProjectForm key={project.id} project={project} />
          <section class="card">
            <h2 class="card-title">Embed snippet</h2>
            <EmbedSnippet publicUrl={publicUrl} projectId={project.id} />
          </section>
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

const HEX = /^#[0-9a-fA-F]{6}$/;

function ProjectForm({ project }: { project: Project }) {
  const [name, setName] = useState(project.name);
  const [origins, setOrigins] = useState(project.allowedOrigins.join('\n'));
  const [color, setColor] = useState(project.widget.color);
  const [position, setPosition] = useState<WidgetPosition>(project.widget.position);
  const [greeting, setGreeting] = useState(project.widget.greeting);
  const [zIndex, setZIndex] = useState(String(project.widget.zIndex));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    setSaved(false);
    const body = {
      name: name.trim(),
      allowedOrigins: linesOf(origins),
      widget: {
        color,
        position,
        greeting,
        zIndex: zIndex.trim() === '' ? Number.NaN : Number(zIndex),
      },
    };
    const local = check(UpdateProjectRequest, body);
    setProblems(local);
    setError(local.length > 0 ? new Error('invalid') : null);
    if (local.length > 0) return;
    setSaving(true);
    try {
      await updateProject(project.id, body);
      setSaved(true);
    } catch (e) {
      setProblems(problemsOf(e));
      setError(e);
    } finally {
      setSaving(false);
    }
  }

  const msg = (path: string) => messageFor(problems, path);
  const summary = formError(error, problems, ['name', 'allowedOrigins', 'widget']);

  return (
    <form
      class="card form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label="Project settings"
    >
      <h2 class="card-title">General</h2>
      {summary ? (
        <p class="notice notice-error" role="alert">
          {summary}
        </p>
      ) : null}
      <Field id="edit-name" label="Name" error={msg('name')}>
        <input
          class="input"
          {...describedBy('edit-name', msg('name'))}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </Field>
      <Field
        id="edit-origins"
        label="Allowed origins"
        hint="One per line. The widget only starts on pages from these origins."
        error={msg('allowedOrigins')}
      >
        <textarea
          class="input textarea"
          rows={4}
          {...describedBy('edit-origins', msg('allowedOrigins'), true)}
          value={origins}
          onInput={(e) => setOrigins(e.currentTarget.value)}
        />
      </Field>

      <h2 class="card-title card-title-spaced">Widget</h2>
      <div class="form-row">
        <Field id="edit-color" label="Colour" error={msg('widget.color')}>
          <div class="color-input">
            <input
              type="color"
              class="swatch"
              aria-label="Pick a colour"
              value={HEX.test(color) ? color : '#000000'}
              onInput={(e) => setColor(e.currentTarget.value)}
            />
            <input
              class="input input-mono"
              {...describedBy('edit-color', msg('widget.color'))}
              value={color}
              maxLength={7}
              onInput={(e) => setColor(e.currentTarget.value.trim())}
            />
          </div>
        </Field>
        <fieldset class="field">
          <legend>Position</legend>
          <div class="segmented">
            {(['left', 'right'] as const).map((side) => (
              <label key={side} class={position === side ? 'segment is-on' : 'segment'}>
                <input
                  type="radio"
                  name="position"
                  value={side}
                  checked={position === side}
                  onChange={() => setPosition(side)}
                />
                {side === 'left' ? 'Bottom left' : 'Bottom right'}
              </label>
            ))}
          </div>
          {msg('widget.position') ? <p class="field-error">{msg('widget.position')}</p> : null}
        </fieldset>
        <Field
          id="edit-zindex"
          label="z-index"
          hint="Raise it if the site draws over the launcher."
          error={msg('widget.zIndex')}
        >
          <input
            class="input input-mono"
            inputMode="numeric"
            {...describedBy('edit-zindex', msg('widget.zIndex'), true)}
            value={zIndex}
            onInput={(e) => setZIndex(e.currentTarget.value)}
          />
        </Field>
      </div>
      <Field
        id="edit-greeting"
        label="Greeting"
        hint="Shown when a visitor opens the chat (up to 280 characters)."
        error={msg('widget.greeting')}
      >
        <textarea
          class="input textarea"
          rows={2}
          {...describedBy('edit-greeting', msg('widget.greeting'), true)}
          value={greeting}
          onInput={(e) => setGreeting(e.currentTarget.value)}
        />
      </Field>
      <div class="form-actions">
        <span class="saved" role="status">
          {saved ? 'Saved' : ''}
        </span>
        <button type="submit" class="button button-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save changes'}
        </button>
      </div>
    </form>
  );
}
