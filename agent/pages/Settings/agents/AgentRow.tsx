import type { Agent } from '../../../../protocol/index.js';
import { Avatar } from '../../../components/Avatar.js';

/** One member of the team in the Agents table: who, role, projects, status, and Edit. */
export function AgentRow(props: {
  agent: Agent;
  isSelf: boolean;
  projectName: (id: string) => string;
  onEdit: () => void;
}) {
  const { agent } = props;
  return (
    <tr class={agent.active ? '' : 'row-inactive'}>
      <td>
        <div class="person">
          <Avatar label={agent.name} seed={agent.id} />
          <div class="person-text">
            <span class="strong">
              {agent.name}
              {props.isSelf ? <span class="tag">You</span> : null}
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
                {props.projectName(id)}
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
          onClick={props.onEdit}
        >
          Edit
        </button>
      </td>
    </tr>
  );
}
