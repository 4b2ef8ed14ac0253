import type { AgentPresence } from '../../protocol/index.js';
import type { Announcer } from '../announcer/index.js';
import type { Logger } from '../logger.js';

interface Entry {
  name: string;
  projectIds: string[];
  sockets: number;
}

/** One instance's online agents, as it announces them to the others. */
export interface PresenceSnapshot {
  instanceId: string;
  agents: Array<{ agentId: string; name: string; projectIds: string[] }>;
}

/** How long another instance's snapshot counts without a fresh one (it may have died). */
export const REMOTE_PRESENCE_TTL_MS = 30_000;

/**
 * Which agents are online, counted by open sockets on this instance plus the snapshots other
 * instances announce (so an agent online anywhere is online everywhere). Announces the projects
 * whose online list changed here; `onLocalChange` listeners hear of this instance's changes.
 */
export class Presence {
  private readonly agents = new Map<string, Entry>();
  private readonly remote = new Map<string, { snapshot: PresenceSnapshot; seenAt: number }>();
  private readonly localListeners: Array<() => void> = [];

  constructor(
    private readonly announcer: Announcer,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** `listener` runs after every change of this instance's own agents. */
  onLocalChange(listener: () => void): void {
    this.localListeners.push(listener);
  }

  private localChange(projectIds: string[]): void {
    for (const listener of this.localListeners) listener();
    this.announce(projectIds);
  }

  /** Presence is best effort: a lost announcement is corrected by the next change or resume. */
  private announce(projectIds: string[]): void {
    if (projectIds.length === 0) return;
    const projects = projectIds.map((projectId) => ({ projectId, online: this.online(projectId) }));
    this.announcer.presenceChanged(projects).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'presence publish failed');
    });
  }

  connected(agent: { id: string; name: string; projectIds: string[] }): void {
    const entry = this.agents.get(agent.id);
    if (entry) {
      entry.sockets += 1;
      return;
    }
    this.agents.set(agent.id, { name: agent.name, projectIds: agent.projectIds, sockets: 1 });
    this.localChange(agent.projectIds);
  }

  /** An online agent's name or projects changed while their sockets stay open. */
  changed(agent: { id: string; name: string; projectIds: string[] }): void {
    const entry = this.agents.get(agent.id);
    if (!entry) return;
    const before = entry.projectIds;
    entry.name = agent.name;
    entry.projectIds = agent.projectIds;
    this.localChange([...new Set([...before, ...agent.projectIds])]);
  }

  disconnected(agentId: string): void {
    const entry = this.agents.get(agentId);
    if (!entry) return;
    entry.sockets -= 1;
    if (entry.sockets > 0) return;
    this.agents.delete(agentId);
    this.localChange(entry.projectIds);
  }

  online(projectId: string): AgentPresence[] {
    const byId = new Map<string, AgentPresence>();
    for (const [agentId, entry] of this.agents) {
      if (entry.projectIds.includes(projectId)) byId.set(agentId, { agentId, name: entry.name });
    }
    const fresh = this.now() - REMOTE_PRESENCE_TTL_MS;
    for (const { snapshot, seenAt } of this.remote.values()) {
      if (seenAt < fresh) continue;
      for (const a of snapshot.agents) {
        if (a.projectIds.includes(projectId))
          byId.set(a.agentId, { agentId: a.agentId, name: a.name });
      }
    }
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  snapshot(instanceId: string): PresenceSnapshot {
    return {
      instanceId,
      agents: [...this.agents].map(([agentId, e]) => ({
        agentId,
        name: e.name,
        projectIds: e.projectIds,
      })),
    };
  }

  /** Another instance's announcement. Returns the projects whose list may have changed. */
  applyRemote(snapshot: PresenceSnapshot): string[] {
    const before = this.remote.get(snapshot.instanceId)?.snapshot;
    this.remote.set(snapshot.instanceId, { snapshot, seenAt: this.now() });
    return changedProjects(before?.agents ?? [], snapshot.agents);
  }

  /** Forgets instances that stopped announcing; announces and returns the projects that lost agents. */
  expire(): string[] {
    const fresh = this.now() - REMOTE_PRESENCE_TTL_MS;
    const changed = new Set<string>();
    for (const [id, { snapshot, seenAt }] of this.remote) {
      if (seenAt >= fresh) continue;
      this.remote.delete(id);
      for (const a of snapshot.agents) for (const p of a.projectIds) changed.add(p);
    }
    this.announce([...changed]);
    return [...changed];
  }
}

function changedProjects(before: PresenceSnapshot['agents'], after: PresenceSnapshot['agents']) {
  const key = (list: PresenceSnapshot['agents']) =>
    new Set(list.flatMap((a) => a.projectIds.map((p) => `${p}\u0000${a.agentId}`)));
  const a = key(before);
  const b = key(after);
  const changed = new Set<string>();
  for (const k of a) if (!b.has(k)) changed.add(k.split('\u0000')[0]!);
  for (const k of b) if (!a.has(k)) changed.add(k.split('\u0000')[0]!);
  return [...changed];
}
