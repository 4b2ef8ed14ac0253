import { useStore } from '@nanostores/preact';
import { useEffect, useState } from 'preact/hooks';
import {
  CreateAgentRequest,
  type Agent,
  type Project,
  type Role,
} from '../../../protocol/index.js';
import type { FieldProblem } from '../../api/request.js';
import { Field, describedBy } from '../../components/Field.js';
import { check, formError, messageFor, problemsOf } from '../../lib/form.js';
import { $adminProjects, loadAdminProjects } from '../../stores/admin-projects.js';
import { $agents, createAgent, loadAgents, updateAgent } from '../../stores/agents.js';
import { ApiError } from '../../api/request.js';

export function AgentsPage({ me }: { me: Agent }) {
  const state = useStore($agents);
  const projects = useStore($adminProjects).items;
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);

  useEffect(() => {
    void loadAgents();
    if (!$adminProjects.get().loaded) void loadAdminProjects();
  }, []);

  const projectName = (id: string) => projects.find((p) => p.id === id)?.name ?? id;

  return (
    <div class="page">
      <header class="page-head">
        <div>
          <h1>Agents</h1>
          <p class="page-sub">People who answer chats. Admins also manage projects and agents.</p>
        </div>
        {creating ? null : (
          <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
            Add agent
          </button>
        )}
      </header>
      {creating ? <CreateAgentForm projects={projects} onDone={() => setCreating(false)} /> : null}
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
                      onDone={() => setEditing(null)}
                    />
                  </td>
                </tr>
              ) : (
                <tr key={agent.id} class={agent.active ? '' : 'row-inactive'}>
                  <td>
                    <span class="strong">{agent.name}</span>
                    {agent.id === me.id ? <span class="tag">You</span> : null}
                    <br />
                    <span class="muted">{agent.email}</span>
                  </td>
                  <td>{agent.role === 'admin' ? 'Admin' : 'Agent'}</td>
                  <td class="muted">
                    {agent.role === 'admin'
                      ? 'All projects'
                      : agent.projectIds.map(projectName).join(', ') || 'None'}
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
                      onClick={() => setEditing(agent.id)}
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
          <label key={project.id} class="check">
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

function RoleSelect(props: { id: string; value: Role; onChange: (role: Role) => void }) {
  return (
    <select
      id={props.id}
      class="select"
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value === 'admin' ? 'admin' : 'agent')}
    >
      <option value="agent">Agent</option>
      <option value="admin">Admin</option>
    </select>
  );
}

function CreateAgentForm({ projects, onDone }: { projects: Project[]; onDone: () => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [projectIds, setProjectIds] = useState<string[]>([]);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const body = { email: email.trim(), name: name.trim(), password, role, projectIds };
    const local = check(CreateAgentRequest, body);
    setProblems(local);
    setError(local.length > 0 ? new Error('invalid') : null);
    if (local.length > 0) return;
    setSaving(true);
    try {
      await createAgent(body);
      onDone();
    } catch (e) {
      setProblems(problemsOf(e));
      setError(e);
      setSaving(false);
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
            class="input"
            {...describedBy('agent-name', msg('name'))}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <Field id="agent-email" label="Email" error={msg('email')}>
          <input
            class="input"
            type="email"
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
          hint="At least 10 characters; share it privately."
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
          <ProjectChecks projects={projects} selected={projectIds} onChange={setProjectIds} />
          {msg('projectIds') ? <p class="field-error">{msg('projectIds')}</p> : null}
        </fieldset>
      ) : (
        <p class="muted">Admins see every project.</p>
      )}
      <div class="form-actions">
        <button type="button" class="button button-ghost" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" class="button button-primary" disabled={saving}>
          {saving ? 'Adding…' : 'Add agent'}
        </button>
      </div>
    </form>
  );
}

function EditAgentForm(props: {
  agent: Agent;
  isSelf: boolean;
  projects: Project[];
  onDone: () => void;
}) {
  const { agent, isSelf } = props;
  const [role, setRole] = useState<Role>(agent.role);
  const [projectIds, setProjectIds] = useState<string[]>(agent.projectIds);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function save(change: { role?: Role; projectIds?: string[]; active?: boolean }) {
    setSaving(true);
    setError(null);
    try {
      await updateAgent(agent.id, change);
      props.onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Could not save; try again');
      setSaving(false);
    }
  }

  return (
    <form
      class="inline-edit"
      aria-label={`Edit ${agent.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save({ role, projectIds });
      }}
    >
      <div class="inline-edit-head">
        <span class="strong">{agent.name}</span>
        <span class="muted">{agent.email}</span>
      </div>
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="form-row">
        <Field id={`role-${agent.id}`} label="Role">
          <RoleSelect id={`role-${agent.id}`} value={role} onChange={setRole} />
        </Field>
        {role === 'agent' ? (
          <fieldset class="field">
            <legend>Projects</legend>
            <ProjectChecks
              projects={props.projects}
              selected={projectIds}
              onChange={setProjectIds}
            />
          </fieldset>
        ) : null}
      </div>
      <div class="form-actions">
        <button
          type="button"
          class={agent.active ? 'button button-danger' : 'button'}
          disabled={saving || isSelf}
          title={isSelf ? 'You cannot deactivate yourself' : undefined}
          onClick={() => void save({ active: !agent.active })}
        >
          {agent.active ? 'Deactivate' : 'Activate'}
        </button>
        {isSelf ? <span class="muted">You cannot deactivate yourself.</span> : null}
        <span class="spacer" />
        <button type="button" class="button button-ghost" onClick={props.onDone}>
          Cancel
        </button>
        <button type="submit" class="button button-primary" disabled={saving}>
          Save
        </button>
      </div>
    </form>
  );
}
