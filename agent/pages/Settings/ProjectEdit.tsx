import { useState } from 'preact/hooks';
import {
  UpdateProjectRequest,
  type Project,
  type WidgetPosition,
} from '../../../protocol/index.js';
import { EmbedSnippet } from '../../components/EmbedSnippet.js';
import { Field, describedBy } from '../../components/Field.js';
import { check, messageFor, originsOf } from '../../lib/form.js';
import { updateProject } from '../../stores/admin-projects.js';
import { Icon } from '../../components/Icon.js';
import { Notice } from '../../components/Notice.js';
import { SaveBar } from '../../components/SaveBar.js';
import { useSettingsForm } from './form.js';
import { ProjectFrame } from './ProjectFrame.js';

export function ProjectEditPage({ id, publicUrl }: { id: string; publicUrl: string }) {
  return (
    <ProjectFrame id={id} tab="general">
      {(project) => <ProjectForm key={project.id} project={project} publicUrl={publicUrl} />}
    </ProjectFrame>
  );
}

const HEX = /^#[0-9a-fA-F]{6}$/;
const FIELDS = ['name', 'allowedOrigins', 'widget'];

function ProjectForm({ project, publicUrl }: { project: Project; publicUrl: string }) {
  const [name, setName] = useState(project.name);
  const [origins, setOrigins] = useState(project.allowedOrigins.join('\n'));
  const [color, setColor] = useState(project.widget.color);
  const [position, setPosition] = useState<WidgetPosition>(project.widget.position);
  const [greeting, setGreeting] = useState(project.widget.greeting);
  const [zIndex, setZIndex] = useState(String(project.widget.zIndex));
  const form = useSettingsForm(FIELDS);

  const body = {
    name: name.trim(),
    allowedOrigins: originsOf(origins),
    widget: {
      color,
      position,
      greeting,
      zIndex: zIndex.trim() === '' ? Number.NaN : Number(zIndex),
    },
  };
  const dirty =
    body.name !== project.name ||
    body.allowedOrigins.join('\n') !== project.allowedOrigins.join('\n') ||
    color !== project.widget.color ||
    position !== project.widget.position ||
    greeting !== project.widget.greeting ||
    body.widget.zIndex !== project.widget.zIndex;

  const msg = (path: string) => messageFor(form.problems, path);
  const previewColor = HEX.test(color) ? color : project.widget.color;

  return (
    <>
      <div class="settings-grid">
        <form
          class="settings-main"
          onSubmit={(e) => {
            e.preventDefault();
            void form.submit(
              check(UpdateProjectRequest, body),
              () => updateProject(project.id, body),
              e.currentTarget,
            );
          }}
          onInput={form.edited}
          noValidate
          aria-label="Project settings"
        >
          <Notice text={form.summary} />
          <section class="card form" aria-labelledby="general-title">
            <h2 class="card-title" id="general-title">
              General
            </h2>
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
              hint="One per line, like https://www.example.com. The widget only starts on pages from these origins."
              error={msg('allowedOrigins')}
            >
              <textarea
                class="input textarea input-mono"
                rows={3}
                spellcheck={false}
                {...describedBy('edit-origins', msg('allowedOrigins'), true)}
                value={origins}
                onInput={(e) => setOrigins(e.currentTarget.value)}
              />
            </Field>
          </section>

          <section class="card form" aria-labelledby="widget-title">
            <h2 class="card-title" id="widget-title">
              Widget
            </h2>
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
                {msg('widget.position') ? (
                  <p class="field-error">{msg('widget.position')}</p>
                ) : null}
              </fieldset>
            </div>
            <Field
              id="edit-greeting"
              label="Greeting"
              hint={`Shown when a visitor opens the chat. ${greeting.length} / 280 characters.`}
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
            <Field
              id="edit-zindex"
              label="Stacking order (z-index)"
              hint="Raise it if the site draws over the launcher."
              error={msg('widget.zIndex')}
            >
              <input
                class="input input-mono input-narrow"
                inputMode="numeric"
                {...describedBy('edit-zindex', msg('widget.zIndex'), true)}
                value={zIndex}
                onInput={(e) => setZIndex(e.currentTarget.value)}
              />
            </Field>
          </section>
          <SaveBar saved={form.saved} dirty={dirty} saving={form.saving} />
        </form>
        <aside class="settings-side" aria-label="Widget preview">
          <WidgetPreview
            name={body.name || project.name}
            color={previewColor}
            position={position}
            greeting={greeting}
            origin={body.allowedOrigins[0] ?? 'https://www.example.com'}
          />
        </aside>
      </div>
      <section class="card" aria-labelledby="snippet-title">
        <h2 class="card-title" id="snippet-title">
          Install on your site
        </h2>
        <p class="card-text">
          Paste this snippet before <code>&lt;/body&gt;</code> on every page where the chat should
          appear.
        </p>
        <EmbedSnippet publicUrl={publicUrl} projectId={project.id} />
      </section>
    </>
  );
}

/** A sketch of the host page with the widget as visitors will see it. */
function WidgetPreview(props: {
  name: string;
  color: string;
  position: WidgetPosition;
  greeting: string;
  origin: string;
}) {
  const accent = { background: props.color };
  return (
    <div class="preview">
      <p class="preview-label">Preview</p>
      <div class="preview-window" aria-hidden="true">
        <div class="preview-chrome">
          <span class="preview-dots">
            <span />
            <span />
            <span />
          </span>
          <span class="preview-url">{props.origin.replace(/^https?:\/\//, '')}</span>
        </div>
        <div class={`preview-page preview-${props.position}`}>
          <span class="preview-line preview-line-title" />
          <span class="preview-line" />
          <span class="preview-line preview-line-short" />
          <div class="preview-panel">
            <div class="preview-panel-head" style={accent}>
              {props.name}
            </div>
            <div class="preview-panel-body">
              {props.greeting.trim() ? <div class="preview-bubble">{props.greeting}</div> : null}
            </div>
          </div>
          <span class="preview-launcher" style={accent}>
            <Icon name="chat" size={18} />
          </span>
        </div>
      </div>
    </div>
  );
}
