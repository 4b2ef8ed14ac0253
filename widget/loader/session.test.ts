import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StartSessionResponse } from '../../protocol/index.js';
import { session as sessionFixture } from '../test-support/fixtures.js';
import { readStored, startSession, writeStored, type SessionError } from './session.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** An in-memory localStorage, as the browser has one. */
function memoryStorage() {
  const items = new Map<string, string>();
  const storage = {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, String(value)),
    removeItem: (key: string) => void items.delete(key),
  };
  vi.stubGlobal('localStorage', storage);
  return items;
}

describe('stored visitor', () => {
  it('round-trips the token per project', () => {
    const items = memoryStorage();

    writeStored('shop', { token: 'tok-a', externalUserId: 'u1' });
    writeStored('blog', { token: 'tok-b', externalUserId: null });

    expect(readStored('shop')).toEqual({ token: 'tok-a', externalUserId: 'u1' });
    expect(readStored('blog')).toEqual({ token: 'tok-b', externalUserId: null });
    expect(readStored('other')).toBeNull();
    expect([...items.keys()]).toEqual(['palaver:shop:visitor', 'palaver:blog:visitor']);
  });

  it('forgets the token when asked, leaving other projects alone', () => {
    memoryStorage();
    writeStored('shop', { token: 'tok-a', externalUserId: null });
    writeStored('blog', { token: 'tok-b', externalUserId: null });

    writeStored('shop', null);

    expect(readStored('shop')).toBeNull();
    expect(readStored('blog')).toEqual({ token: 'tok-b', externalUserId: null });
  });

  it('ignores stored values it did not write', () => {
    const items = memoryStorage();
    for (const junk of ['{not json', '"a string"', 'null', '{"token":42}', '[]']) {
      items.set('palaver:shop:visitor', junk);
      expect(readStored('shop')).toBeNull();
    }
  });

  it('survives a localStorage that throws (private mode, sandboxed frames)', () => {
    const denied = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    vi.stubGlobal('localStorage', { getItem: denied, setItem: denied, removeItem: denied });

    expect(() => writeStored('shop', { token: 'tok', externalUserId: null })).not.toThrow();
    expect(() => writeStored('shop', null)).not.toThrow();
    expect(readStored('shop')).toBeNull();
  });

  it('survives a page where reading localStorage itself throws', () => {
    const original = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('Access is denied', 'SecurityError');
      },
    });
    try {
      expect(readStored('shop')).toBeNull();
      expect(() => writeStored('shop', { token: 'tok', externalUserId: null })).not.toThrow();
    } finally {
      if (original) Object.defineProperty(globalThis, 'localStorage', original);
      else delete (globalThis as { localStorage?: unknown }).localStorage;
    }
  });
});

describe('startSession', () => {
  const answer: StartSessionResponse = (({ apiOrigin: _o, locale: _l, ...rest }) => rest)(
    sessionFixture(),
  );

  function stubFetch(respond: () => Response | Promise<Response>) {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => respond());
    vi.stubGlobal('fetch', fetch);
    return fetch;
  }

  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  async function failure(promise: Promise<unknown>): Promise<SessionError> {
    const error = await promise.then(
      () => null,
      (e: unknown) => e as SessionError,
    );
    if (!error) throw new Error('startSession resolved');
    return error;
  }

  it('posts a CORS-simple request without cookies and returns the session', async () => {
    const fetch = stubFetch(() => json(200, answer));

    const result = await startSession('https://chat.example.com', {
      projectId: 'shop',
      visitorToken: 'tok',
      externalUserId: undefined,
      userToken: undefined,
      userHash: undefined,
      pageUrl: 'https://shop.example/cart',
      referrer: undefined,
      locale: 'en',
    });

    expect(result).toEqual(answer);
    expect(fetch).toHaveBeenCalledOnce();
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://chat.example.com/api/widget/sessions');
    // No headers of our own: a string body is text/plain, so the request needs no preflight.
    expect(init).toEqual({ method: 'POST', body: expect.any(String), credentials: 'omit' });
    expect(JSON.parse(init!.body as string)).toEqual({
      projectId: 'shop',
      visitorToken: 'tok',
      pageUrl: 'https://shop.example/cart',
      locale: 'en',
    });
  });

  it.each([400, 401, 403, 404])(
    'marks a %i refusal as final, with the server message',
    async (status) => {
      stubFetch(() => json(status, { error: { code: 'nope', message: 'Origin not allowed' } }));

      const error = await failure(startSession('https://chat.example.com', { projectId: 'shop' }));

      expect(error.final).toBe(true);
      expect(error.message).toBe('Origin not allowed');
    },
  );

  it.each([429, 500, 502, 503])('marks %i as worth retrying', async (status) => {
    stubFetch(() => new Response('<html>Bad gateway</html>', { status }));

    const error = await failure(startSession('https://chat.example.com', { projectId: 'shop' }));

    expect(error.final).toBe(false);
    expect(error.message).toBe(`HTTP ${status}`);
  });

  it('lets a network failure be retried', async () => {
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));

    const error = await failure(startSession('https://chat.example.com', { projectId: 'shop' }));

    expect(error).toBeInstanceOf(TypeError);
    expect(error.final).toBeFalsy();
  });

  it('does not accept a success without a visitor token', async () => {
    stubFetch(() => json(200, {}));

    await expect(startSession('https://chat.example.com', { projectId: 'shop' })).rejects.toThrow(
      'HTTP 200',
    );
  });
});
