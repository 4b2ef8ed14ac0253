import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, Problem } from '../../protocol/index.js';
import { AgentClient, rawRequest, startSession, type HttpAnswer } from '../support/clients.js';
import { ADMIN, AGENT, startTestServer, type TestServer } from '../support/server.js';

type Security = Array<Record<string, string[]>>;
interface Operation {
  method: string;
  path: string;
  security: Security | undefined;
}

let server: TestServer;
let admin: AgentClient;
let operations: Operation[];

beforeAll(async () => {
  server = await startTestServer();
  admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
  const doc = (await rawRequest(server.url, '/api/openapi.json')).body as {
    paths: Record<string, Record<string, { security?: Security }>>;
  };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method, path, security: op.security })),
  );
});
afterAll(() => server.close());

const needsKey = (op: Operation) => (op.security ?? []).some((r) => 'bearerAuth' in r);

/** A path of the document with its `{id}` filled in by one that exists nowhere. */
const concrete = (path: string) => path.replace('{id}', 'does-not-exist');

async function call(
  op: Operation,
  who: 'anonymous' | 'signed-in' | 'signed-in-without-csrf',
): Promise<HttpAnswer> {
  const hasBody = op.method !== 'get';
  if (who === 'anonymous') {
    return rawRequest(server.url, concrete(op.path), {
      method: op.method.toUpperCase(),
      ...(hasBody ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
    });
  }
  // A session of its own: the call may be the sign-out.
  const client =
    who === 'signed-in' ? await AgentClient.login(server.url, ADMIN.email, ADMIN.password) : admin;
  return client.send(op.method.toUpperCase(), concrete(op.path), {
    ...(hasBody ? { body: '{}' } : {}),
    ...(who === 'signed-in-without-csrf' ? { csrfToken: null } : {}),
  });
}

describe('headers of API answers', () => {
  function expectPrivate(answer: HttpAnswer, what: string) {
    expect(answer.headers.get('x-content-type-options'), what).toBe('nosniff');
    expect(answer.headers.get('cache-control'), what).toBe('no-store');
  }

  it('every operation of the API, answered or refused, says nosniff and no-store', async () => {
    // The health probes (outside /api) and the public document (below) set their own caching.
    const isPrivate = (op: Operation) =>
      op.path.startsWith('/api/') && op.path !== '/api/openapi.json';
    expect(operations.filter(isPrivate).length).toBeGreaterThan(15);
    for (const op of operations) {
      for (const who of ['anonymous', 'signed-in', 'signed-in-without-csrf'] as const) {
        const answer = await call(op, who);
        const what = `${who} ${op.method} ${op.path} → ${answer.status}`;
        if (isPrivate(op)) expectPrivate(answer, what);
        else expect(answer.headers.get('x-content-type-options'), what).toBe('nosniff');
      }
    }
  });

  it('successful answers of each private group say no-store, including the visitor token', async () => {
    const agent = await AgentClient.login(server.url, AGENT.email, AGENT.password);
    const answers: Array<[string, HttpAnswer]> = [
      ['session start', await startSession(server.url)],
      ['sign-in', await rawLogin(AGENT.email, AGENT.password)],
      ['me', await agent.request('GET', '/api/auth/me')],
      ['inbox', await agent.request('GET', '/api/agent/conversations')],
      ['admin agents', await admin.request('GET', '/api/admin/agents')],
      ['admin projects', await admin.request('GET', '/api/admin/projects')],
    ];
    for (const [what, answer] of answers) {
      expect(answer.status, what).toBeLessThan(300);
      expectPrivate(answer, what);
    }
  });

  it('error answers outside the routes say nosniff too: unknown route, bad JSON, preflight', async () => {
    const answers: Array<[string, HttpAnswer]> = [
      ['unknown route', await rawRequest(server.url, '/api/nothing-here')],
      ['unknown group route', await admin.request('GET', '/api/agent/nothing-here')],
      [
        'bad JSON',
        await rawRequest(server.url, '/api/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"email":',
        }),
      ],
      ['bad %-escape', await admin.request('GET', '/api/agent/conversations/%E0%A4%A')],
      [
        'preflight',
        await rawRequest(server.url, '/api/widget/sessions', {
          method: 'OPTIONS',
          headers: { origin: 'http://shop.test', 'access-control-request-method': 'POST' },
        }),
      ],
    ];
    for (const [what, answer] of answers) {
      expect(answer.status, what).toBeGreaterThanOrEqual(204);
      if (answer.status >= 400) expect((answer.body as ErrorBody).error.code, what).toBeTruthy();
      expect(answer.headers.get('x-content-type-options'), what).toBe('nosniff');
    }
  });

  it('the OpenAPI document is public and may be cached', async () => {
    const answer = await rawRequest(server.url, '/api/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
  });
});

describe('the OpenAPI document states the security each route enforces', () => {
  it('an operation needs the session exactly when it refuses a request without one', async () => {
    for (const op of operations) {
      const answer = await call(op, 'anonymous');
      const refused = answer.status === 401;
      const what = `${op.method} ${op.path} → ${answer.status}`;
      if (refused && needsKey(op)) {
        expect((answer.body as Problem).type, what).toBe('urn:palaver:problem:api-key-missing');
        for (const requirement of op.security!) {
          expect(Object.keys(requirement), what).toEqual(['bearerAuth']);
        }
      } else if (refused) {
        expect((answer.body as ErrorBody).error.code, what).toBe('unauthorized');
        expect(op.security, what).toBeDefined();
        expect(op.security!.length, what).toBeGreaterThan(0);
        for (const requirement of op.security!) expect(requirement, what).toHaveProperty('session');
      } else {
        expect(op.security, what).toEqual([]);
      }
    }
  });

  it('an operation needs the CSRF header exactly when it refuses a signed-in request without one', async () => {
    for (const op of operations) {
      if ((op.security ?? []).length === 0) continue;
      const answer = await call(op, 'signed-in-without-csrf');
      const what = `${op.method} ${op.path} → ${answer.status}`;
      if (needsKey(op)) {
        // A session is no API key.
        expect((answer.body as Problem).type, what).toBe('urn:palaver:problem:api-key-missing');
        continue;
      }
      const refused =
        answer.status === 403 && (answer.body as ErrorBody).error.code === 'csrf_failed';
      expect(op.security, what).toEqual(refused ? [{ session: [], csrf: [] }] : [{ session: [] }]);
    }
  });
});

function rawLogin(email: string, password: string) {
  return rawRequest(server.url, '/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}
