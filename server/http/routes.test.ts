import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { allRoutes } from '../../protocol/routes/index.js';
import { startTestServer, type TestServer } from '../../test/support/server.js';
import { routeOfHandler } from './routing.js';

/** The slice of router internals (router 2.x) needed to list what an app mounts. */
interface Layer {
  rawPath?: string | string[];
  handle: { stack?: Layer[] };
  route?: { path: string | string[]; methods: Record<string, boolean>; stack: Layer[] };
}

interface Mounted {
  key: string;
  /** The last function of the route: the handler that answers. */
  handler: unknown;
}

/** The console's pages: the built SPA's files, not API routes. */
const ASSET_ROUTES = ['GET /', 'GET /agent', 'GET /agent/{*rest}'];

const paths = (path: string | string[] | undefined) =>
  path === undefined ? [''] : Array.isArray(path) ? path : [path];

/** Every method + path an Express app answers, with nested routers' mount paths prepended. */
function mountedRoutes(stack: Layer[], prefix = ''): Mounted[] {
  const found: Mounted[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const handler = layer.route.stack.at(-1)?.handle;
      for (const path of paths(layer.route.path)) {
        for (const method of Object.keys(layer.route.methods)) {
          // Table paths name parameters `{id}`, Express `:id`.
          const tablePath = `${prefix}${path}`.replace(/:(\w+)/g, '{$1}');
          found.push({ key: `${method.toUpperCase()} ${tablePath}`, handler });
        }
      }
    } else if (layer.handle.stack) {
      for (const path of paths(layer.rawPath)) {
        found.push(...mountedRoutes(layer.handle.stack, prefix + (path === '/' ? '' : path)));
      }
    }
  }
  return found;
}

describe('the route table', () => {
  let server: TestServer;
  let mounted: Mounted[];
  beforeAll(async () => {
    server = await startTestServer();
    const app = server.palaver.app as unknown as { router: { stack: Layer[] } };
    mounted = mountedRoutes(app.router.stack).filter((r) => !ASSET_ROUTES.includes(r.key));
  });
  afterAll(() => server.close());

  const keyOf = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

  test('has an entry for every route the app mounts, and the app mounts every entry', () => {
    expect(mounted.length).toBeGreaterThan(0);
    expect(mounted.map((r) => r.key).sort()).toEqual(allRoutes.map(keyOf).sort());
  });

  test('is how every route is registered: each handler was made from its own entry', () => {
    for (const { key, handler } of mounted) {
      const entry = routeOfHandler(handler);
      expect(entry && keyOf(entry), `${key} is registered without the route table`).toBe(key);
    }
  });

  test('names every operation once', () => {
    const ids = allRoutes.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
