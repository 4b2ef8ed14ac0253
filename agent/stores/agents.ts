import { atom } from 'nanostores';
import type { Agent, CreateAgentRequest, UpdateAgentRequest } from '../../protocol/index.js';
import * as admin from '../api/admin.js';
import { ApiError } from '../api/request.js';

export interface AgentsState {
  items: Agent[];
  loading: boolean;
  loaded: boolean;
  error: string | null;
}

const empty = (): AgentsState => ({ items: [], loading: false, loaded: false, error: null });

/** The team, for the admin's Settings → Agents. */
export const $agents = atom<AgentsState>(empty());

export async function loadAgents(): Promise<void> {
  $agents.set({ ...$agents.get(), loading: true, error: null });
  try {
    const { items } = await admin.fetchAgents();
    $agents.set({ items, loading: false, loaded: true, error: null });
  } catch (error) {
    $agents.set({
      ...$agents.get(),
      loading: false,
      error: error instanceof ApiError ? error.message : 'Could not load agents',
    });
  }
}

function remember(agent: Agent): Agent {
  const state = $agents.get();
  const exists = state.items.some((a) => a.id === agent.id);
  $agents.set({
    ...state,
    items: exists
      ? state.items.map((a) => (a.id === agent.id ? agent : a))
      : [...state.items, agent],
  });
  return agent;
}

export async function createAgent(body: CreateAgentRequest): Promise<Agent> {
  return remember(await admin.createAgent(body));
}

export async function updateAgent(id: string, body: UpdateAgentRequest): Promise<Agent> {
  return remember(await admin.updateAgent(id, body));
}

export function resetAgents(): void {
  $agents.set(empty());
}
