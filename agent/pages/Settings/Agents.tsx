import { useStore } from '@nanostores/preact';
import { useEffect, useState } from 'preact/hooks';
import type { Agent } from '../../../protocol/index.js';
import { Icon } from '../../components/Icon.js';
import { $adminProjects, loadAdminProjects } from '../../stores/admin-projects.js';
import { $agents, loadAgents } from '../../stores/agents.js';
import { AgentCreateForm, AgentEditForm, AgentRow } from './agents/index.js';

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
          </tbody>
        </table>
        {state.loading && !state.loaded ? <p class="loading">Loading…</p> : null}
      </div>
    </div>
  );
}
