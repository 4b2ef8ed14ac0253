import { Router } from 'express';
import { describe, expect, test } from 'vitest';
import {
  adminRoutes,
  agentRoutes,
  apiProjectRoutes,
  authRoutes,
  contactRoutes,
  type Route,
} from '../../protocol/routes/index.js';
import { routesOn } from './routing.js';

const answer = () => undefined;

describe('registering a table route', () => {
  test('refuses a rate-limited route without its limiter, and a limiter on a route without one', () => {
    const route = routesOn(Router(), { prefix: '/api/auth' });
    expect(() => route(authRoutes.login, answer)).toThrow(/rateLimited=true/);
    expect(() =>
      routesOn(Router(), { prefix: '/api/agent', guarded: 'agent' })(
        agentRoutes.listMyProjects,
        answer,
        { limit: (_req, _res, next) => next() },
      ),
    ).toThrow(/rateLimited=false/);
  });

  test('refuses a route the table opens wider than its router admits', () => {
    const route = routesOn(Router(), { prefix: '/api/admin', guarded: 'admin' });
    expect(() => route(agentRoutes.listMyProjects, answer)).toThrow(/admits only admin/);
  });

  test('refuses a route whose path lies outside the router', () => {
    const route = routesOn(Router(), { prefix: '/api/agent', guarded: 'agent' });
    expect(() => route(adminRoutes.listAgents, answer)).toThrow(/does not belong/);
  });
});

describe('registering an API-key route', () => {
  const keys = {
    authenticate: () =>
      Promise.resolve({ ok: false as const, failure: { reason: 'missing' as const } }),
  };
  const limit = { limit: (_req: unknown, _res: unknown, next: () => void) => next() };

  test('needs the API keys, and a router that sessions do not guard', () => {
    expect(() =>
      routesOn(Router(), { prefix: '/api/v1' })(apiProjectRoutes.getApiProject, answer, limit),
    ).toThrow(/needs the API keys/);
    expect(() =>
      routesOn(Router(), { prefix: '/api/v1', guarded: 'agent', apiKeys: keys })(
        contactRoutes.getContact,
        answer,
        limit,
      ),
    ).toThrow(/cannot pass a router guarded by sessions/);
    expect(() =>
      routesOn(Router(), { prefix: '/api/v1', apiKeys: keys })(
        contactRoutes.getContact,
        answer,
        limit,
      ),
    ).not.toThrow();
  });

  test('takes roles only on API-key routes, and always there', () => {
    const base = {
      method: 'GET',
      path: '/api/v1/things',
      operationId: 'listThings',
      tag: 'Contacts',
      summary: 'Things',
      rateLimited: false,
      status: 200,
      errors: [],
      csrf: false,
    } as const;
    const entry = (spec: Omit<Route, keyof typeof base>) => ({ ...base, ...spec }) as Route;
    const route = routesOn(Router(), { prefix: '/api/v1', apiKeys: keys });
    expect(() => route(entry({ ...base, access: 'key' }), answer)).toThrow(/name the roles/);
    expect(() =>
      route(entry({ ...base, access: 'public', roles: ['contacts:read'] }), answer),
    ).toThrow(/roles are for API-key routes/);
  });
});
