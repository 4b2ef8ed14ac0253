// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { agentRoutes } from '../../protocol/routes/index.js';
import { mockApi } from '../test-support/api-mock.js';
import { resetAll } from '../test-support/reset.js';
import { call } from './call.js';
import { fetchMe } from './auth.js';
import { fetchIntegrationLog } from './integration.js';
import { setUnauthorizedHandler } from './request.js';

afterEach(resetAll);

describe('call', () => {
  it('encodes path parameters and leaves out empty query values', async () => {
    const calls = mockApi({
      'GET /api/admin/projects/a%2Fb%20c/integration/log': { body: { items: [] } },
    });

    await fetchIntegrationLog('a/b c', null, 20);

    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /api/admin/projects/a%2Fb%20c/integration/log?limit=20',
    ]);
  });

  it("refuses an answer that does not match the route's response schema", async () => {
    mockApi({ 'GET /api/agent/conversations/conv_1': { body: { conversation: { id: 1 } } } });

    const error = await call(agentRoutes.getConversation, { params: { id: 'conv_1' } }).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ code: 'bad_response', status: 200 });
  });

  it('treats a 401 on the session probe as an outcome, not as an ended session', async () => {
    mockApi({
      'GET /api/auth/me': {
        status: 401,
        body: { error: { code: 'unauthorized', message: 'Sign in first' } },
      },
    });
    let ended = 0;
    setUnauthorizedHandler(() => ended++);

    await expect(fetchMe()).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
    expect(ended).toBe(0);
  });
});
