import { useStore } from '@nanostores/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  CreateAgentRequest,
  UpdateAgentRequest,
  type Agent,
  type Project,
  type Role,
} from '../../../protocol/index.js';
import type { FieldProblem } from '../../api/request.js';
import { Avatar } from '../../components/Avatar.js';
import { Field, describedBy } from '../../components/Field.js';
import { Icon } from '../../components/Icon.js';
import { check, formError, messageFor, problemsOf } from '../../lib/form.js';
import { $adminProjects, loadAdminProjects } from '../../stores/admin-projects.js';
import { $agents, createAgent, loadAgents, updateAgent } from '../../stores/agents.js';

export function AgentsPage({ me }: { me: Agent }) {
  const state = useStore($agents);
  const projects = useStore($adminProjects).items;
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    void loadAgents();
    if (!$adminProjects.get().loaded) void loadAdminProjects();
  }, []);

  const projectName = (id: string) => projects.find((p) => p.id === id)?.name ?? id;
  const active = state.items.filter((a) => a.active).length;

  return (
    <div class="page">
      <header class="page-head">
        <div>
          <h1>Agents</h1>
          <p class="page-sub">
            People who answer chats. Admins also manage projects and agents.
            {state.loaded ? ` ${active} active of ${state.items.length}.` : ''}
          </p>
        </div>
        {creating ? null : (
          <button
            type="button"
            class="button button-primary"
            onClick={() => {
              setNotice(null);
              setCreating(true);
            }}
          >
            <Icon name="plus" size={14} />
            Add agent
          </button>
        )}
      </header>
      {notice ? (
        <p class="notice notice-success" role="status">
          <Icon name="check" size={14} />
          {notice}
        </p>
      ) : null}
      {creating ? (
        <CreateAgentForm
          projects={projects}
          onCancel={() => setCreating(false)}
          onCreated={(agent) => {
            setCreating(false);
            setNotice(
              `${agent.name} can now sign in as ${agent.email}. Share the password privately.`,
            );
          }}
        />
      ) : null}
      {state.error ? (
        <p class="notice notice-error" role="alert">
          {state.error}
        </p>
      ) : null}
      <div class="card">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Role</th>
              <th scope="col">Projects</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {state.items.map((agent) =>
              editing === agent.id ? (
                <tr key={agent.id} class="row-editing">
                  <td colSpan={5}>
                    <EditAgentForm
                      agent={agent}
                      isSelf={agent.id === me.id}
                      projects={projects}
                      onDone={(message) => {
                        setEditing(null);
                        setNotice(message);
                      }}
                    />
                  </td>
                </tr>
              ) : (
                <tr key={agent.id} class={agent.active ? '' : 'row-inactive'}>
                  <td>
                    <div class="person">
                      <Avatar label={agent.name} seed={agent.id} />
                      <div class="person-text">
                        <span class="strong">
                          {agent.name}
                          {agent.id === me.id ? <span class="tag">You</span> : null}
                        </span>
                        <span class="muted">{agent.email}</span>
                      </div>
                    </div>
                  </td>
                  <td>
                    <span class={agent.role === 'admin' ? 'role role-admin' : 'role'}>
                      {agent.role === 'admin' ? 'Admin' : 'Agent'}
                    </span>
                  </td>
                  <td>
                    {agent.role === 'admin' ? (
                      <span class="muted">All projects</span>
                    ) : agent.projectIds.length === 0 ? (
                      <span class="warning-text">None — sees no conversations</span>
                    ) : (
                      <span class="chips">
                        {agent.projectIds.map((id) => (
                          <span key={id} class="chip">
                            {projectName(id)}
                          </span>
                        ))}
                      </span>
                    )}
                  </td>
                  <td>
                    <span class={agent.active ? 'state state-on' : 'state state-off'}>
                      {agent.active ? 'Active' : 'Deactivated'}
                    </span>
                  </td>
                  <td class="cell-actions">
                    <button
                      type="button"
                      class="button button-small"
                      aria-label={`Edit ${agent.name}`}
                      onClick={() => {
                        setNotice(null);
                        setEditing(agent.id);
                      }}
                    >
                      Edit
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
        {state.loading && !state.loaded ? <p class="loading">Loading…</p> : null}
      </div>
    </div>
  );
}

function ProjectChecks(props: {
  projects: Project[];
  selected: string[];
  onChange: (ids: string[]) => void;
}) {
  if (props.projects.length === 0) return <p class="muted">No projects yet.</p>;
  return (
    <div class="checks">
      {props.projects.map((project) => {
        const checked = props.selected.includes(project.id);
        return (
          <label key={project.id} class={checked ? 'check is-on' : 'check'}>
            <input
              type="checkbox"
              checked={checked}
              onChange={() =>
                props.onChange(
                  checked
                    ? props.selected.filter((id) => id !== project.id)
                    : [...props.selected, project.id],
                )
              }
            />
            {project.name}
          </label>
        );
      })}
    </div>
  );
}

function RoleSelect(props: {
  id: string;
  value: Role;
  disabled?: boolean;
  describedBy?: string | undefined;
  onChange: (role: Role) => void;
}) {
  return (
    <select
      id={props.id}
      class="select"
      value={props.value}
      disabled={props.disabled}
      aria-describedby={props.describedBy}
      onChange={(e) => props.onChange(e.currentTarget.value === 'admin' ? 'admin' : 'agent')}
    >
      <option value="agent">Agent — answers chats in chosen projects</option>
      <option value="admin">Admin — every project, plus settings</option>
    </select>
  );
}

function focusFirstInvalid(form: HTMLFormElement): void {
  requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

function CreateAgentForm(props: {
  projects: Project[];
  onCancel: () => void;
  onCreated: (agent: Agent) => void;
}) {
  const first = useRef<HTMLInputElement>(null);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [projectIds, setProjectIds] = useState<string[]>([]);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => first.current?.focus(), []);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const body = {
      email: email.trim(),
      name: name.trim(),
      password,
      role,
      projectIds: role === 'admin' ? [] : projectIds,
    };
    const local = check(CreateAgentRequest, body);
    setProblems(local);
    setError(local.length > 0 ? new Error('invalid') : null);
    if (local.length > 0) {
      focusFirstInvalid(form);
      return;
    }
    setSaving(true);
    try {
      props.onCreated(await createAgent(body));
    } catch (e) {
      setProblems(problemsOf(e));
      setError(e);
      setSaving(false);
      focusFirstInvalid(form);
    }
  }

  const msg = (path: string) => messageFor(problems, path);
  const summary = formError(error, problems, ['email', 'name', 'password', 'role', 'projectIds']);
  return (
    <form class="card form" onSubmit={(e) => void submit(e)} noValidate aria-label="New agent">
      <h2 class="card-title">New agent</h2>
      {summary ? (
        <p class="notice notice-error" role="alert">
          {summary}
        </p>
      ) : null}
      <div class="form-row">
        <Field id="agent-name" label="Name" error={msg('name')}>
          <input
            ref={first}
            class="input"
            autoComplete="off"
            {...describedBy('agent-name', msg('name'))}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <Field id="agent-email" label="Email" error={msg('email')}>
          <input
            class="input"
            type="email"
            autoComplete="off"
            {...describedBy('agent-email', msg('email'))}
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </Field>
      </div>
      <div class="form-row">
        <Field
          id="agent-password"
          label="Initial password"
          hint="At least 10 characters. Share it privately; they can be given a new one later."
          error={msg('password')}
        >
          <input
            class="input"
            type="password"
            autoComplete="new-password"
            {...describedBy('agent-password', msg('password'), true)}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <Field id="agent-role" label="Role" error={msg('role')}>
          <RoleSelect id="agent-role" value={role} onChange={setRole} />
        </Field>
      </div>
      {role === 'agent' ? (
        <fieldset class="field">
          <legend>Projects</legend>
          <ProjectChecks projects={props.projects} selected={projectIds} onChange={setProjectIds} />
          {msg('projectIds') ? <p class="field-error">{msg('projectIds')}</p> : null}
        </fieldset>
      ) : (
        <p class="field-hint form-note">Admins see every project.</p>
      )}
      <div class="form-actions">
        <button type="button" class="button button-ghost" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" class="button button-primary" disabled={saving}>
          {saving ? 'Adding…' : 'Add agent'}
        </button>
      </div>
    </form>
  );
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

function EditAgentForm(props: {
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
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => first.current?.focus(), []);

  async function save(change: UpdateAgentRequest, notice: string, form?: HTMLFormElement) {
    const local = check(UpdateAgentRequest, change);
    setProblems(local);
    setError(local.length > 0 ? new Error('invalid') : null);
    if (local.length > 0) {
      if (form) focusFirstInvalid(form);
      return;
    }
    setSaving(true);
    try {
      await updateAgent(agent.id, change);
      props.onDone(notice);
    } catch (e) {
      setProblems(problemsOf(e));
      setError(e);
      setSaving(false);
      setConfirming(false);
    }
  }

  function changes(): UpdateAgentRequest {
    const change: UpdateAgentRequest = {};
    if (name.trim() !== agent.name) change.name = name.trim();
    if (role !== agent.role) change.role = role;
    if (role === 'agent' && !sameSet(projectIds, agent.projectIds)) change.projectIds = projectIds;
    if (password) change.password = password;
    return change;
  }

  const msg = (path: string) => messageFor(problems, path);
  const summary = formError(error, problems, ['name', 'role', 'projectIds', 'password']);
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
      {summary ? (
        <p class="notice notice-error" role="alert">
          {summary}
        </p>
      ) : null}
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
        <fieldset class="field">
          <legend>Projects</legend>
          <ProjectChecks projects={props.projects} selected={projectIds} onChange={setProjectIds} />
          {msg('projectIds') ? <p class="field-error">{msg('projectIds')}</p> : null}
        </fieldset>
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
              disabled={saving}
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
            disabled={saving || confirming}
            onClick={() => setConfirming(true)}
          >
            Deactivate…
          </button>
        ) : (
          <button
            type="button"
            class="button"
            disabled={saving}
            onClick={() => void save({ active: true }, `${agent.name} is active again.`)}
          >
            Activate
          </button>
        )}
        <span class="spacer" />
        <button type="button" class="button button-ghost" onClick={() => props.onDone(null)}>
          Cancel
        </button>
        <button type="submit" class="button button-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
