// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { resetAll } from '../test-support/reset.js';
import { $route, $router, hrefOf, navigate, type Route } from './route.js';

afterEach(resetAll);

function at(path: string): Route {
  const stop = $route.listen(() => undefined);
  $router.open(path);
  const route = $route.get();
  stop();
  return route;
}

describe('routes', () => {
  it('reads console paths under /agent/', () => {
    expect(at('/agent/')).toEqual({ name: 'inbox', status: 'open' });
    expect(at('/agent/inbox/closed')).toEqual({ name: 'inbox', status: 'closed' });
    expect(at('/agent/c/conv_%2F1')).toEqual({ name: 'conversation', id: 'conv_/1' });
    expect(at('/agent/settings/projects/demo')).toEqual({ name: 'project', id: 'demo' });
    expect(at('/agent/settings/projects/demo/integration')).toEqual({
      name: 'integration',
      id: 'demo',
    });
    expect(at('/agent/settings/projects/demo/log')).toEqual({
      name: 'integration-log',
      id: 'demo',
    });
    expect(at('/agent/settings/projects/demo/api-keys')).toEqual({ name: 'api-keys', id: 'demo' });
    expect(at('/agent/settings/projects/demo/signing-secret')).toEqual({
      name: 'signing-secret',
      id: 'demo',
    });
    expect(at('/agent/settings/agents')).toEqual({ name: 'agents' });
    expect(at('/agent/contacts')).toEqual({ name: 'contacts' });
    expect(at('/agent/contacts/acme/jane%40acme.test')).toEqual({
      name: 'contact',
      projectId: 'acme',
      externalId: 'jane@acme.test',
    });
    expect(at('/agent/nope')).toEqual({ name: 'not-found' });
    expect(at('/agent/inbox/spam')).toEqual({ name: 'not-found' });
  });

  it('writes every route as a path that reads back the same', () => {
    const routes: Route[] = [
      { name: 'inbox', status: 'open' },
      { name: 'inbox', status: 'closed' },
      { name: 'conversation', id: 'conv 1/2' },
      { name: 'projects' },
      { name: 'project', id: 'acme' },
      { name: 'integration', id: 'acme' },
      { name: 'integration-log', id: 'acme' },
      { name: 'api-keys', id: 'acme' },
      { name: 'signing-secret', id: 'acme' },
      { name: 'agents' },
      { name: 'contacts' },
      { name: 'contact', projectId: 'acme', externalId: 'u/1 ?#%' },
      { name: 'login' },
    ];
    for (const route of routes) expect(at(hrefOf(route))).toEqual(route);
  });

  it('navigates with the History API', () => {
    const stop = $route.listen(() => undefined);
    navigate({ name: 'conversation', id: 'conv_9' });
    expect(location.pathname).toBe('/agent/c/conv_9');
    expect($route.get()).toEqual({ name: 'conversation', id: 'conv_9' });
    stop();
  });
});
