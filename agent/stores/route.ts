import { atom } from 'nanostores';

export type Route =
  | { name: 'login' }
  | { name: 'inbox'; status: 'open' | 'closed' }
  | { name: 'conversation'; id: string }
  | { name: 'projects' }
  | { name: 'project'; id: string }
  | { name: 'agents' }
  | { name: 'not-found' };

/** Hash routes, so deep links work with nothing but the server's index.html fallback. */
export function parseHash(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part;
      }
    });
  const [a, b, c, ...rest] = parts;
  if (rest.length > 0) return { name: 'not-found' };
  if (a === undefined || (a === 'inbox' && b === undefined))
    return { name: 'inbox', status: 'open' };
  if (a === 'inbox' && b === 'closed' && c === undefined)
    return { name: 'inbox', status: 'closed' };
  if (a === 'login' && b === undefined) return { name: 'login' };
  if (a === 'c' && b !== undefined && c === undefined) return { name: 'conversation', id: b };
  if (a === 'settings' && b === 'projects') {
    return c === undefined ? { name: 'projects' } : { name: 'project', id: c };
  }
  if (a === 'settings' && b === 'agents' && c === undefined) return { name: 'agents' };
  return { name: 'not-found' };
}

export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'login':
      return '#/login';
    case 'inbox':
      return route.status === 'closed' ? '#/inbox/closed' : '#/inbox';
    case 'conversation':
      return `#/c/${encodeURIComponent(route.id)}`;
    case 'projects':
      return '#/settings/projects';
    case 'project':
      return `#/settings/projects/${encodeURIComponent(route.id)}`;
    case 'agents':
      return '#/settings/agents';
    case 'not-found':
      return '#/';
  }
}

export const $route = atom<Route>(parseHash(location.hash));

addEventListener('hashchange', () => $route.set(parseHash(location.hash)));

/** `replace` keeps redirects (e.g. to Login) out of the back-button history. */
export function navigate(route: Route, replace = false): void {
  const href = hrefOf(route);
  if (replace) history.replaceState(history.state, '', href);
  else history.pushState(history.state, '', href);
  $route.set(parseHash(href));
}
