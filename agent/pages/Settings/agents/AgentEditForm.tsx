import { useEffect, useRef, useState } from 'preact/hooks';
import {
  UpdateAgentRequest,
  type Agent,
  type Project,
  type Role,
} from '../../../../protocol/index.js';
import { Avatar } from '../../../components/Avatar.js';
import { Field, describedBy } from '../../../components/Field.js';
import { Notice } from '../../../components/Notice.js';
import { check, messageFor } from '../../../lib/form.js';
import { updateAgent } from '../../../stores/agents.js';
import { useSettingsForm } from '../form.js';
import { ProjectsFieldset, RoleSelect } from './fields.js';

const FIELDS = ['name', 'role', 'projectIds', 'password'];

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

/**
 * Edits one agent in place: name, role, projects, a new password; deactivates (after a
 * confirmation) or activates them. `onDone` gets the notice to show, or null when nothing changed.
 */
export function AgentEditForm(props: {
  agent: Agent;
  isSelf: boolean;
  projects: Project[];
  onDone: (notice: string | null) => void;
}) {
  const { agent, isSelf } = props;
  const first = useRef<HTMLInputElement>(null);
  const [name, setName] = useState(agent.name);
  const [role, setRole] = useState<Role>(agent.role);
  const [projectIds, setProjectIds] = useState<string[]>(agent.projectIds);
  const [password, setPassword] = useState('');
  const [confirming, setConfirming] = useState(false);
  const form = useSettingsForm(FIELDS);

  useEffect(() => first.current?.focus(), []);

  async function save(change: UpdateAgentRequest, notice: string, element?: HTMLFormElement) {
    const outcome = await form.submit(
      check(UpdateAgentRequest, change),
      async () => {
        await updateAgent(agent.id, change);
        props.onDone(notice);
      },
      element,
    );
    if (outcome === 'failed') setConfirming(false);
  }

  function changes(): UpdateAgentRequest {
    const change: UpdateAgentRequest = {};
    if (name.trim() !== agent.name) change.name = name.trim();
    if (role !== agent.role) change.role = role;
    if (role === 'agent' && !sameSet(projectIds, agent.projectIds)) change.projectIds = projectIds;
    if (password) change.password = password;
    return change;
  }

  const msg = (path: string) => messageFor(form.problems, path);
  const id = agent.id;
  return (
    <form
      class="inline-edit"
      aria-label={`Edit ${agent.name}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const change = changes();
        if (Object.keys(change).length === 0) {
          props.onDone(null);
          return;
        }
        void save(change, `Saved changes to ${name.trim() || agent.name}.`, e.currentTarget);
      }}
    >
      <div class="inline-edit-head">
        <Avatar label={agent.name} seed={agent.id} />
        <div class="person-text">
          <span class="strong">Edit {agent.name}</span>
          <span class="muted">{agent.email}</span>
        </div>
      </div>
      <Notice text={form.summary} />
      <div class="form-row">
        <Field id={`name-${id}`} label="Name" error={msg('name')}>
          <input
            ref={first}
            class="input"
            {...describedBy(`name-${id}`, msg('name'))}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <Field
          id={`role-${id}`}
          label="Role"
          error={msg('role')}
          hint={isSelf ? 'You cannot remove your own admin role.' : undefined}
        >
          <RoleSelect
            id={`role-${id}`}
            value={role}
            disabled={isSelf}
            describedBy={isSelf ? `role-${id}-hint` : undefined}
            onChange={setRole}
          />
        </Field>
        <Field
          id={`password-${id}`}
          label="New password"
          hint="Leave empty to keep the current one. Setting one signs them out everywhere."
          error={msg('password')}
        >
          <input
            class="input"
            type="password"
            autoComplete="new-password"
            {...describedBy(`password-${id}`, msg('password'), true)}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
      </div>
      {role === 'agent' ? (
        <ProjectsFieldset
          projects={props.projects}
          selected={projectIds}
          error={msg('projectIds')}
          onChange={setProjectIds}
        />
      ) : null}
      {confirming ? (
        <div class="confirm" role="alertdialog" aria-labelledby={`confirm-${id}`}>
          <p id={`confirm-${id}`}>
            <strong>Deactivate {agent.name}?</strong> They are signed out at once and cannot sign in
            until an admin activates them again. Their conversations stay.
          </p>
          <div class="confirm-actions">
            <button type="button" class="button" onClick={() => setConfirming(false)}>
              Keep active
            </button>
            <button
              type="button"
              class="button button-danger-solid"
              disabled={form.saving}
              onClick={() => void save({ active: false }, `${agent.name} was deactivated.`)}
            >
              Deactivate
            </button>
          </div>
        </div>
      ) : null}
      <div class="form-actions">
        {isSelf ? (
          <span class="muted">You cannot deactivate yourself.</span>
        ) : agent.active ? (
          <button
            type="button"
            class="button button-danger"
            disabled={form.saving || confirming}
            onClick={() => setConfirming(true)}
          >
            Deactivate…
          </button>
        ) : (
          <button
            type="button"
            class="button"
            disabled={form.saving}
            onClick={() => void save({ active: true }, `${agent.name} is active again.`)}
          >
            Activate
          </button>
        )}
        <span class="spacer" />
        <button type="button" class="button button-ghost" onClick={() => props.onDone(null)}>
          Cancel
        </button>
        <button type="submit" class="button button-primary" disabled={form.saving}>
          {form.saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
