import { AuthSession, LoginRequest } from '../agent.js';
import { route } from './route.js';

/** Agents' sign-in and session. */
export const authRoutes = {
  login: route({
    method: 'POST',
    path: '/api/auth/login',
    operationId: 'login',
    tag: 'Auth',
    summary: 'Sign in an agent (sets the session cookie)',
    access: 'public',
    rateLimited: true,
    body: LoginRequest,
    response: AuthSession,
    status: 200,
    errors: [400, 401, 413, 422, 429, 503],
  }),
  me: route({
    method: 'GET',
    path: '/api/auth/me',
    operationId: 'getSession',
    tag: 'Auth',
    summary: 'The signed-in agent',
    access: 'agent',
    rateLimited: false,
    response: AuthSession,
    status: 200,
    errors: [401, 503],
  }),
  logout: route({
    method: 'POST',
    path: '/api/auth/logout',
    operationId: 'logout',
    tag: 'Auth',
    summary: 'Sign out',
    access: 'agent',
    rateLimited: false,
    status: 204,
    errors: [401, 403, 503],
  }),
} as const;
