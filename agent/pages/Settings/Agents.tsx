import { useStore } from '@nanostores/preact';
import { useEffect, useState } from 'preact/hooks';
import type { Agent } from '../../../protocol/index.js';
import { Notice } from '../../components/Notice.js';
import { PageHead } from '../../components/PageHead.js';
import { $adminProjects, loadAdminProjects } from '../../stores/admin-projects.js';
import { $agents, loadAgents } from '../../stores/agents.js';
import { AgentCreateForm, AgentEditForm, AgentRow } from './agents/index.js';
import { AddButton, ListTable } from './SettingsList.js';

const COLUMNS = ['Agent', 'Role', 'Projects', 'Status'];

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
      <PageHead
        title="Agents"
        actions={
          creating ? null : (
            <AddButton
              label="Add agent"
              onClick={() => {
                setNotice(null);
                setCreating(true);
              }}
            />
          )
        }
      >
        People who answer chats. Admins also manage projects and agents.
        {state.loaded ? ` ${active} active of ${state.items.length}.` : ''}
      </PageHead>
      <Notice ok text={notice} />
      {creating ? (
        <AgentCreateForm
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
      <Notice text={state.error} />
      <ListTable columns={COLUMNS} loading={state.loading && !state.loaded}>
        {state.items.map((agent) =>
          editing === agent.id ? (
            <tr key={agent.id} class="row-editing">
              <td colSpan={5}>
                <AgentEditForm
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
            <AgentRow
              key={agent.id}
              agent={agent}
              isSelf={agent.id === me.id}
              projectName={projectName}
              onEdit={() => {
                setNotice(null);
                setEditing(agent.id);
              }}
            />
          ),
        )}
      </ListTable>
    </div>
  );
}
