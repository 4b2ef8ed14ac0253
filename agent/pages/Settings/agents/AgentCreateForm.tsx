import { useEffect, useRef, useState } from 'preact/hooks';
import {
  CreateAgentRequest,
  type Agent,
  type Project,
  type Role,
} from '../../../../protocol/index.js';
import { Field, describedBy } from '../../../components/Field.js';
import { Notice } from '../../../components/Notice.js';
import { check, messageFor } from '../../../lib/form.js';
import { createAgent } from '../../../stores/agents.js';
import { focusFirstInvalid, useSettingsForm } from '../form.js';
import { ProjectsFieldset, RoleSelect } from './fields.js';

const FIELDS = ['email', 'name', 'password', 'role', 'projectIds'];

/** Adds a person to the team with an initial password (shared with them privately). */
export function AgentCreateForm(props: {
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
  const form = useSettingsForm(FIELDS);

  useEffect(() => first.current?.focus(), []);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const body = {
      email: email.trim(),
      name: name.trim(),
      password,
      role,
      projectIds: role === 'admin' ? [] : projectIds,
    };
    const outcome = await form.submit(
      check(CreateAgentRequest, body),
      async () => props.onCreated(await createAgent(body)),
      element,
    );
    // The server's objections (an email already taken) are marked on the fields too.
    if (outcome === 'failed') focusFirstInvalid(element);
  }

  const msg = (path: string) => messageFor(form.problems, path);
  return (
    <form class="card form" onSubmit={(e) => void submit(e)} noValidate aria-label="New agent">
      <h2 class="card-title">New agent</h2>
      <Notice text={form.summary} />
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
        <ProjectsFieldset
          projects={props.projects}
          selected={projectIds}
          error={msg('projectIds')}
          onChange={setProjectIds}
        />
      ) : (
        <p class="field-hint form-note">Admins see every project.</p>
      )}
      <div class="form-actions">
        <button type="button" class="button button-ghost" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" class="button button-primary" disabled={form.saving}>
          {form.saving ? 'Adding…' : 'Add agent'}
        </button>
      </div>
    </form>
  );
}
