// @vitest-environment happy-dom
import {
  afterEach,
  beforeEach,
  describe,
  expect,
  it,
  vi,
  type Mock,
  type MockInstance,
} from 'vitest';
import type { StartSessionResponse } from '../../protocol/index.js';
import { queueStubSource } from '../snippet.js';
import { session } from '../test-support/fixtures.js';

type PalaverFn = ((...args: unknown[]) => void) & { q?: unknown[]; loaded?: boolean };
const win = window as unknown as { Palaver?: PalaverFn };

const { apiOrigin: _origin, locale: _locale, ...answer } = session();
const sessionAnswer: StartSessionResponse = answer;

let warn: MockInstance<typeof console.warn>;
let fetchMock: Mock<typeof fetch>;
/** The stubbed server holds its answer to the session request until a test releases it. */
let release: () => void;

/** The page: a `<script src=… data-project=…>` tag and (usually) the queue stub. */
function page({ project = 'demo', stub = true }: { project?: string | null; stub?: boolean } = {}) {
  const script = document.createElement('script');
  script.src = 'https://chat.example.com/widget/widget.js';
  if (project) script.dataset.project = project;
  Object.defineProperty(document, 'currentScript', { configurable: true, get: () => script });
  // The page runs the pasted snippet's text as it is: so does the test.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call
  if (stub) new Function(queueStubSource)();
}

/** Runs widget.js as the browser would: once, at load. */
async function loadWidget(): Promise<PalaverFn> {
  vi.resetModules();
  await import('./index.js');
  return win.Palaver!;
}

const launcher = () =>
  document.querySelector('palaver-widget')?.shadowRoot?.querySelector('button') ?? null;

const warnings = () => warn.mock.calls.map((call: unknown[]) => call[0]);

beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const held = new Promise<void>((resolve) => (release = resolve));
  fetchMock = vi.fn(async () => {
    await held;
    return new Response(JSON.stringify(sessionAnswer), { status: 200 });
  });
  vi.stubGlobal('fetch', fetchMock);
  localStorage.clear();
});

afterEach(() => {
  try {
    win.Palaver?.('shutdown');
  } finally {
    delete win.Palaver;
    delete (document as { currentScript?: unknown }).currentScript;
    document.body.replaceChildren();
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  }
});

/** The server answers the session request; the widget draws its launcher from the answer. */
async function sessionAnswered(): Promise<void> {
  const ready = new Promise((resolve) => win.Palaver!('on', 'ready', resolve));
  release();
  await ready;
}

describe('widget.js loader', () => {
  it('installs the real Palaver function in place of the queue stub', async () => {
    page();
    const stub = win.Palaver;

    const real = await loadWidget();

    expect(real).not.toBe(stub);
    expect(real.loaded).toBe(true);
    expect(real.q).toBeUndefined();
  });

  it('shows the launcher at once, in its own task, and starts a session for data-project', async () => {
    page({ project: 'demo' });
    await loadWidget();

    // Nothing runs inside the script's own task: the page's work is never held up by ours.
    expect(launcher()).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(launcher()).not.toBeNull());
    await sessionAnswered();

    expect(fetchMock).toHaveBeenCalledOnce();
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('https://chat.example.com/api/widget/sessions');
    expect(JSON.parse(init.body as string)).toMatchObject({ projectId: 'demo' });
    expect(launcher()?.getAttribute('aria-label')).toBe('Open support chat');
    expect(launcher()?.getAttribute('aria-expanded')).toBe('false');
    expect(JSON.parse(localStorage.getItem('palaver:demo:visitor')!)).toEqual({
      token: sessionAnswer.visitorToken,
      externalUserId: null,
    });
    expect(warnings()).toEqual([]);
  });

  it('replays the calls queued before it loaded, in order', async () => {
    page({ project: null });
    const opened = vi.fn();
    const closed = vi.fn();
    const ready = vi.fn();
    win.Palaver!('init', { projectId: 'shop', externalUserId: 'user-42' });
    win.Palaver!('on', 'open', opened);
    win.Palaver!('on', 'close', closed);
    win.Palaver!('on', 'ready', ready);
    win.Palaver!('open');
    win.Palaver!('close');

    await loadWidget();

    expect(opened).toHaveBeenCalledOnce();
    expect(closed).toHaveBeenCalledOnce();
    expect(opened.mock.invocationCallOrder[0]).toBeLessThan(closed.mock.invocationCallOrder[0]!);
    await sessionAnswered();
    expect(ready).toHaveBeenCalledWith({
      visitorId: sessionAnswer.visitorId,
      identity: sessionAnswer.identity,
    });
    const [, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(JSON.parse(init.body as string)).toMatchObject({
      projectId: 'shop',
      externalUserId: 'user-42',
    });
    expect(warnings()).toEqual([]);
  });

  it('listens only after a queued "on": an earlier "open" is not reported to it', async () => {
    page({ project: null });
    const opened = vi.fn();
    win.Palaver!('init', { projectId: 'shop' });
    win.Palaver!('open');
    win.Palaver!('close');
    win.Palaver!('on', 'open', opened);

    await loadWidget();

    expect(opened).not.toHaveBeenCalled();
  });

  it('starts one session only when the queue has its own init', async () => {
    page({ project: 'demo' });
    win.Palaver!('init', { projectId: 'shop' });

    await loadWidget();
    await sessionAnswered();

    expect(fetchMock).toHaveBeenCalledOnce();
    const [, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(JSON.parse(init.body as string)).toMatchObject({ projectId: 'shop' });
  });

  it('warns once for each unknown command and never throws into the page', async () => {
    page({ project: null });
    win.Palaver!('launch');
    const Palaver = await loadWidget();

    expect(() => Palaver('explode', 1, 2)).not.toThrow();
    expect(() => Palaver()).not.toThrow();

    expect(warnings()).toEqual([
      '[Palaver] unknown command "launch"',
      '[Palaver] unknown command "explode"',
      '[Palaver] unknown command "undefined"',
    ]);
  });

  it('calls "on" made before init once init has created the widget', async () => {
    page({ project: null });
    const Palaver = await loadWidget();
    const ready = vi.fn();

    Palaver('on', 'ready', ready);
    expect(fetchMock).not.toHaveBeenCalled();
    Palaver('init', { projectId: 'shop' });
    await sessionAnswered();

    expect(ready).toHaveBeenCalledWith({
      visitorId: sessionAnswer.visitorId,
      identity: sessionAnswer.identity,
    });
    expect(warnings()).toEqual([]);
  });

  it('opens after init when "open" came before it', async () => {
    page({ project: null });
    const Palaver = await loadWidget();
    const opened = vi.fn();

    Palaver('on', 'open', opened);
    Palaver('open');
    expect(launcher()).toBeNull();
    Palaver('init', { projectId: 'shop' });

    expect(opened).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(launcher()?.getAttribute('aria-expanded')).toBe('true'));
    expect(warnings()).toEqual([]);
  });

  it('applies every call made before init in order, after it', async () => {
    page({ project: null });
    const Palaver = await loadWidget();
    const events: string[] = [];

    Palaver('on', 'open', () => events.push('open'));
    Palaver('on', 'close', () => events.push('close'));
    Palaver('open');
    Palaver('close');
    Palaver('open');
    Palaver('identify', { externalUserId: 'bob', userHash: 'ab'.repeat(32) });
    expect(events).toEqual([]);
    Palaver('init', { projectId: 'shop' });
    await sessionAnswered();

    expect(events).toEqual(['open', 'close', 'open']);
    expect(warnings()).toEqual([]);
    // The identity given before init is the one the (single) session starts with, also once the
    // widget's own first-start task has had its turn.
    await new Promise((resolve) => setTimeout(resolve));
    expect(fetchMock).toHaveBeenCalledOnce();
    const [, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(JSON.parse(init.body as string)).toMatchObject({
      projectId: 'shop',
      externalUserId: 'bob',
      userHash: 'ab'.repeat(32),
    });
  });

  it('keeps the calls made before an init that failed for the next, valid init', async () => {
    page({ project: null });
    const Palaver = await loadWidget();
    const opened = vi.fn();

    Palaver('on', 'open', opened);
    Palaver('init', { color: 'red' });
    Palaver('open');
    expect(opened).not.toHaveBeenCalled();
    Palaver('init', { projectId: 'shop' });

    expect(opened).toHaveBeenCalledOnce();
  });

  it('starts a new queue after shutdown, applied by the next init', async () => {
    page({ project: null });
    const Palaver = await loadWidget();
    Palaver('init', { projectId: 'shop' });
    await sessionAnswered();
    Palaver('shutdown');
    expect(document.querySelector('palaver-widget')).toBeNull();
    const ready = vi.fn();
    const opened = vi.fn();

    Palaver('on', 'ready', ready);
    Palaver('on', 'open', opened);
    Palaver('open');
    expect(opened).not.toHaveBeenCalled();
    expect(document.querySelector('palaver-widget')).toBeNull();
    Palaver('init', { projectId: 'shop' });

    expect(opened).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(ready).toHaveBeenCalledOnce());
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('forgets the calls queued before a shutdown that came before init', async () => {
    page({ project: null });
    const Palaver = await loadWidget();
    const opened = vi.fn();

    Palaver('on', 'open', opened);
    Palaver('open');
    Palaver('shutdown');
    Palaver('init', { projectId: 'shop' });

    expect(opened).not.toHaveBeenCalled();
    expect(launcher()).toBeNull();
    await vi.waitFor(() => expect(launcher()?.getAttribute('aria-expanded')).toBe('false'));
  });

  it('does nothing but warn when init has no project', async () => {
    page({ project: null });
    const Palaver = await loadWidget();

    Palaver('init', { color: 'red' });

    expect(warnings()).toEqual(['[Palaver] init: invalid color "red"; projectId is required']);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('never throws, even when a site passes something hostile', async () => {
    page({ project: 'demo' });
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const Palaver = await loadWidget();
    const hostile = {
      toString() {
        throw new Error('gotcha');
      },
    };

    expect(() => Palaver(hostile)).not.toThrow();
    expect(() => Palaver('on', 'open', 'not a function')).not.toThrow();
    expect(() => Palaver('identify', null)).not.toThrow();

    expect(error).toHaveBeenCalledOnce();
  });

  it('works without the queue stub', async () => {
    page({ project: 'demo', stub: false });

    const Palaver = await loadWidget();

    expect(Palaver.loaded).toBe(true);
    await sessionAnswered();
    expect(launcher()).not.toBeNull();
  });

  it('resumes the stored visitor', async () => {
    localStorage.setItem(
      'palaver:demo:visitor',
      JSON.stringify({ token: 'stored-token-0123456789', externalUserId: null }),
    );
    page({ project: 'demo' });

    await loadWidget();
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalled());

    const [, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(JSON.parse(init.body as string)).toMatchObject({
      visitorToken: 'stored-token-0123456789',
    });
  });

  it('forgets the stored visitor when the page calls reset before init (site logout)', async () => {
    localStorage.setItem(
      'palaver:shop:visitor',
      JSON.stringify({ token: 'stored-token-0123456789', externalUserId: null }),
    );
    page({ project: null });
    win.Palaver!('reset');
    win.Palaver!('init', { projectId: 'shop' });

    await loadWidget();
    await sessionAnswered();

    expect(fetchMock).toHaveBeenCalledOnce();
    const [, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(JSON.parse(init.body as string)).not.toHaveProperty('visitorToken');
    expect(JSON.parse(localStorage.getItem('palaver:shop:visitor')!)).toEqual({
      token: sessionAnswer.visitorToken,
      externalUserId: null,
    });
  });

  it('keeps the first copy when widget.js is loaded twice: one widget, one session', async () => {
    page({ project: 'demo' });
    const first = await loadWidget();
    await sessionAnswered();

    const second = await loadWidget();

    expect(second).toBe(first);
    expect(fetchMock).toHaveBeenCalledOnce();
    expect(document.querySelectorAll('palaver-widget')).toHaveLength(1);
    // The first copy still answers.
    const ready = vi.fn();
    second('on', 'ready', ready);
    expect(ready).toHaveBeenCalledWith({
      visitorId: sessionAnswer.visitorId,
      identity: sessionAnswer.identity,
    });
  });

  it("prints the server's notice about an identity it did not accept, once", async () => {
    page({ project: 'demo' });
    fetchMock.mockImplementation(() =>
      Promise.resolve(
        Response.json({ ...sessionAnswer, notice: 'externalUserId "u1" was ignored: unverified' }),
      ),
    );
    await loadWidget();
    await new Promise((resolve) => win.Palaver!('on', 'ready', resolve));

    expect(warnings()).toEqual(['[Palaver] externalUserId "u1" was ignored: unverified']);
  });

  it('starts a fresh visitor without the old token when another user signs in with identify', async () => {
    page({ project: null });
    win.Palaver!('init', { projectId: 'shop', externalUserId: 'alice' });
    await loadWidget();
    await sessionAnswered();
    const nextReady = new Promise((resolve) => {
      let seen = 0;
      win.Palaver!('on', 'ready', () => ++seen === 2 && resolve(undefined));
    });

    win.Palaver!('identify', { externalUserId: 'bob', userHash: 'ab'.repeat(32) });
    await nextReady;

    expect(fetchMock).toHaveBeenCalledTimes(2);
    const [, second] = fetchMock.mock.calls[1] as [string, RequestInit];
    const body = JSON.parse(second.body as string) as Record<string, unknown>;
    expect(body).toMatchObject({
      projectId: 'shop',
      externalUserId: 'bob',
      userHash: 'ab'.repeat(32),
    });
    expect(body).not.toHaveProperty('visitorToken');
  });

  it('forgets the visitor and starts anonymously on reset (sign-out)', async () => {
    page({ project: null });
    win.Palaver!('init', { projectId: 'shop', externalUserId: 'alice' });
    await loadWidget();
    await sessionAnswered();
    const nextReady = new Promise((resolve) => {
      let seen = 0;
      win.Palaver!('on', 'ready', () => ++seen === 2 && resolve(undefined));
    });

    win.Palaver!('reset');
    await nextReady;

    const [, second] = fetchMock.mock.calls[1] as [string, RequestInit];
    const body = JSON.parse(second.body as string) as Record<string, unknown>;
    expect(body).not.toHaveProperty('visitorToken');
    expect(body).not.toHaveProperty('externalUserId');
  });

  it('removes its launcher and says why when the project refuses the page', async () => {
    page({ project: 'demo' });
    fetchMock.mockImplementation(() =>
      Promise.resolve(
        Response.json(
          { error: { code: 'origin_not_allowed', message: 'The page origin is not allowed' } },
          { status: 403 },
        ),
      ),
    );
    await loadWidget();
    await vi.waitFor(() =>
      expect(warnings()).toEqual(['[Palaver] The page origin is not allowed']),
    );

    expect(document.querySelector('palaver-widget')).toBeNull();
  });

  it('never sends the page fragment, which may hold tokens, to the server', async () => {
    const before = location.href;
    history.replaceState(null, '', '/account/reset?lang=en#access_token=secret-value');
    try {
      page({ project: 'demo' });
      await loadWidget();
      await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledOnce());
      const [, init] = fetchMock.mock.calls[0] as [string, RequestInit];
      const body = JSON.parse(init.body as string) as { pageUrl: string };
      expect(body.pageUrl).toBe(new URL('/account/reset?lang=en', before).href);
      expect(init.body).not.toContain('secret-value');
    } finally {
      history.replaceState(null, '', before);
    }
  });
});
