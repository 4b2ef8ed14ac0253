import { createRouter } from '@nanostores/router';
import { computed } from 'nanostores';

export type Route =
  | { name: 'login' }
  | { name: 'inbox'; status: 'open' | 'closed' }
  | { name: 'conversation'; id: string }
  | { name: 'contacts' }
  | { name: 'contact'; projectId: string; externalId: string }
  | { name: 'projects' }
  | { name: 'project'; id: string }
  | { name: 'integration'; id: string }
  | { name: 'integration-log'; id: string }
  | { name: 'api-keys'; id: string }
  | { name: 'signing-secret'; id: string }
  | { name: 'cards'; id: string }
  | { name: 'webhooks'; id: string }
  | { name: 'agents' }
  | { name: 'not-found' };

/** Where the server serves the console (vite `base`); every route lives under it. */
export const BASE = '/agent';

/**
 * Real paths (the server answers every `/agent/*` with index.html). The router also takes over
 * clicks on same-origin links, so plain `<a href>` navigates without a reload.
 */
export const $router = createRouter({
  home: BASE,
  inbox: `${BASE}/inbox/:status?`,
  login: `${BASE}/login`,
  conversation: `${BASE}/c/:id`,
  contacts: `${BASE}/contacts`,
  contact: `${BASE}/contacts/:projectId/:externalId`,
  projects: `${BASE}/settings/projects`,
  project: `${BASE}/settings/projects/:id`,
  integration: `${BASE}/settings/projects/:id/integration`,
  integrationLog: `${BASE}/settings/projects/:id/log`,
  apiKeys: `${BASE}/settings/projects/:id/api-keys`,
  signingSecret: `${BASE}/settings/projects/:id/signing-secret`,
  cards: `${BASE}/settings/projects/:id/cards`,
  webhooks: `${BASE}/settings/projects/:id/webhooks`,
  agents: `${BASE}/settings/agents`,
  settings: `${BASE}/settings`,
});

export const $route = computed($router, (page): Route => {
  if (!page) return { name: 'not-found' };
  switch (page.route) {
    case 'home':
      return { name: 'inbox', status: 'open' };
    case 'inbox':
      if (!page.params.status || page.params.status === 'open') {
        return { name: 'inbox', status: 'open' };
      }
      return page.params.status === 'closed'
        ? { name: 'inbox', status: 'closed' }
        : { name: 'not-found' };
    case 'login':
      return { name: 'login' };
    case 'conversation':
      return { name: 'conversation', id: page.params.id };
    case 'contacts':
      return { name: 'contacts' };
    case 'contact':
      return {
        name: 'contact',
        projectId: page.params.projectId,
        externalId: page.params.externalId,
      };
    case 'projects':
    case 'settings':
      return { name: 'projects' };
    case 'project':
      return { name: 'project', id: page.params.id };
    case 'integration':
      return { name: 'integration', id: page.params.id };
    case 'integrationLog':
      return { name: 'integration-log', id: page.params.id };
    case 'apiKeys':
      return { name: 'api-keys', id: page.params.id };
    case 'signingSecret':
      return { name: 'signing-secret', id: page.params.id };
    case 'cards':
      return { name: 'cards', id: page.params.id };
    case 'webhooks':
      return { name: 'webhooks', id: page.params.id };
    case 'agents':
      return { name: 'agents' };
  }
});

export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'login':
      return `${BASE}/login`;
    case 'inbox':
      return route.status === 'closed' ? `${BASE}/inbox/closed` : `${BASE}/`;
    case 'conversation':
      return `${BASE}/c/${encodeURIComponent(route.id)}`;
    case 'contacts':
      return `${BASE}/contacts`;
    case 'contact':
      return `${BASE}/contacts/${encodeURIComponent(route.projectId)}/${encodeURIComponent(route.externalId)}`;
    case 'projects':
      return `${BASE}/settings/projects`;
    case 'project':
      return `${BASE}/settings/projects/${encodeURIComponent(route.id)}`;
    case 'integration':
      return `${BASE}/settings/projects/${encodeURIComponent(route.id)}/integration`;
    case 'integration-log':
      return `${BASE}/settings/projects/${encodeURIComponent(route.id)}/log`;
    case 'api-keys':
      return `${BASE}/settings/projects/${encodeURIComponent(route.id)}/api-keys`;
    case 'signing-secret':
      return `${BASE}/settings/projects/${encodeURIComponent(route.id)}/signing-secret`;
    case 'cards':
      return `${BASE}/settings/projects/${encodeURIComponent(route.id)}/cards`;
    case 'webhooks':
      return `${BASE}/settings/projects/${encodeURIComponent(route.id)}/webhooks`;
    case 'agents':
      return `${BASE}/settings/agents`;
    case 'not-found':
      return `${BASE}/`;
  }
}

/** `replace` keeps redirects (e.g. away from Login) out of the back-button history. */
export function navigate(route: Route, replace = false): void {
  $router.open(hrefOf(route), replace);
}
