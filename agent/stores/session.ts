import { atom } from 'nanostores';
import type { Agent, AuthSession, LoginRequest } from '../../protocol/index.js';
import * as auth from '../api/auth.js';
import { ApiError, setCsrfToken, setUnauthorizedHandler } from '../api/request.js';

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; expired: boolean }
  | { status: 'authenticated'; session: AuthSession };

export const $session = atom<SessionState>({ status: 'loading' });

function authenticated(session: AuthSession): void {
  setCsrfToken(session.csrfToken);
  $session.set({ status: 'authenticated', session });
}

/** The session ended on the server (expired, logged out elsewhere, socket closed with 4401). */
export function expireSession(): void {
  setCsrfToken(null);
  if ($session.get().status !== 'anonymous') $session.set({ status: 'anonymous', expired: true });
}

setUnauthorizedHandler(expireSession);

export async function loadSession(): Promise<void> {
  try {
    authenticated(await auth.fetchMe());
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      $session.set({ status: 'anonymous', expired: false });
      return;
    }
    throw error;
  }
}

export async function login(body: LoginRequest): Promise<void> {
  authenticated(await auth.login(body));
}

export async function logout(): Promise<void> {
  try {
    await auth.logout();
  } finally {
    setCsrfToken(null);
    $session.set({ status: 'anonymous', expired: false });
  }
}

/** The server changed this agent's access (projects, role, name) while they are signed in. */
export function updateAgent(agent: Agent): void {
  const state = $session.get();
  if (state.status !== 'authenticated' || state.session.agent.id !== agent.id) return;
  $session.set({ status: 'authenticated', session: { ...state.session, agent } });
}

export function currentAgent() {
  const state = $session.get();
  return state.status === 'authenticated' ? state.session.agent : null;
}
