import { Router } from 'express';
import { describe, expect, test } from 'vitest';
import { adminRoutes, agentRoutes, authRoutes } from '../../protocol/routes/index.js';
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
