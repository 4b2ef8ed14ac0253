// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { mockApi } from '../test-support/api-mock.js';
import { resetAll } from '../test-support/reset.js';
import { ApiError, request, setCsrfToken, setUnauthorizedHandler } from './request.js';
import { setConversationStatus } from './conversations.js';
import { conversation } from '../test-support/fixtures.js';

afterEach(resetAll);

describe('request', () => {
  it('sends the CSRF token on state-changing requests and not on reads', async () => {
    const calls = mockApi({
      'POST /api/agent/conversations/conv_1/close': {
        body: conversation({ status: 'closed' }),
      },
      'GET /api/agent/projects': { body: { items: [] } },
    });
    setCsrfToken('tok-42');

    const closed = await setConversationStatus('conv_1', 'close');
    await request('GET', '/api/agent/projects');

    expect(closed.status).toBe('closed');
    expect(calls[0]?.headers['X-CSRF-Token']).toBe('tok-42');
    expect(calls[0]?.credentials).toBe('same-origin');
    expect(calls[1]?.headers['X-CSRF-Token']).toBeUndefined();
  });

  it('turns the error body into an ApiError with code, message, status and fields', async () => {
    mockApi({
      'POST /api/admin/projects': {
        status: 422,
        body: {
          error: {
            code: 'validation_failed',
            message: 'Invalid input',
            fields: [{ path: 'name', message: 'Too short' }],
          },
        },
      },
    });

    const error = await request('POST', '/api/admin/projects', { body: {} }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'validation_failed',
      message: 'Invalid input',
      status: 422,
      fields: [{ path: 'name', message: 'Too short' }],
    });
  });

  it('reports a 401 on an authenticated call as an ended session', async () => {
    mockApi({
      'GET /api/agent/projects': {
        status: 401,
        body: { error: { code: 'unauthorized', message: 'Your session has ended' } },
      },
    });
    let ended = 0;
    setUnauthorizedHandler(() => ended++);

    await expect(request('GET', '/api/agent/projects')).rejects.toThrow('Your session has ended');
    expect(ended).toBe(1);
  });
});
