import type { Project, Role } from '../../../../protocol/index.js';

/** Which projects an agent (not an admin) works in, with the server's problem with the choice. */
export function ProjectsFieldset(props: {
  projects: Project[];
  selected: string[];
  error: string | undefined;
  onChange: (ids: string[]) => void;
}) {
  return (
    <fieldset class="field">
      <legend>Projects</legend>
      <ProjectChecks
        projects={props.projects}
        selected={props.selected}
        onChange={props.onChange}
      />
      {props.error ? <p class="field-error">{props.error}</p> : null}
    </fieldset>
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

export function RoleSelect(props: {
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
