import type { AgentPresence } from '../../protocol/index.js';

interface Entry {
  name: string;
  projectIds: string[];
  sockets: number;
}

/**
 * Which agents are online, counted by open sockets. `onChange` fires with the projects whose
 * online list changed, when an agent's first socket opens or last socket closes.
 */
export class Presence {
  private readonly agents = new Map<string, Entry>();

  constructor(private readonly onChange: (projectIds: string[]) => void) {}

  connected(agent: { id: string; name: string; projectIds: string[] }): void {
    const entry = this.agents.get(agent.id);
    if (entry) {
      entry.sockets += 1;
      return;
    }
    this.agents.set(agent.id, { name: agent.name, projectIds: agent.projectIds, sockets: 1 });
    this.onChange(agent.projectIds);
  }

  disconnected(agentId: string): void {
    const entry = this.agents.get(agentId);
    if (!entry) return;
    entry.sockets -= 1;
    if (entry.sockets > 0) return;
    this.agents.delete(agentId);
    this.onChange(entry.projectIds);
  }

  online(projectId: string): AgentPresence[] {
    const list: AgentPresence[] = [];
    for (const [agentId, entry] of this.agents) {
      if (entry.projectIds.includes(projectId)) list.push({ agentId, name: entry.name });
    }
    return list.sort((a, b) => a.name.localeCompare(b.name));
  }
}
