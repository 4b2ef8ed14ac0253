/**
 * What the widget costs a host page, timed. Headless Chromium with 4× CPU throttling (CDP
 * `Emulation.setCPUThrottlingRate`), a fresh browser context (empty cache, empty storage: a first
 * visit) per run, the same host page with and without the snippet, runs interleaved
 * (blank, widget, blank, widget, …) after one discarded warm-up pair. Medians of each variant.
 *
 *   npx tsx bench/page-cost.ts [--runs 7]
 * (needs `npm run build` first: the widget is served from dist/widget)
 *
 * Every in-page time is taken by a probe installed with addInitScript (before any page script)
 * on both variants alike; see PROBE and the notes in the returned section for what each window is.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, CDPSession } from 'playwright-core';
import { DEMO_PROJECT_ID } from '../demo/seed.js';
import { distDir } from '../server/paths.js';
import { chromiumAvailable, launchChromium } from '../test/support/browser.js';
import { startDemoServer, type DemoServer } from '../test/support/demo-server.js';
import { embedSnippet } from '../widget/snippet.js';
import { summarize, type BenchSection, type GoalResult } from './types.js';

const CPU_THROTTLE = 4;
/** How long after the load event (or the launcher, if later) long tasks are still counted. */
const QUIET_WINDOW_MS = 2000;
const WAIT_MS = 15_000;
const LONG_TASK_MS = 50;

/**
 * Installed before any page script, on both variants. Plain JS in a string: functions handed to
 * Playwright are serialized, and tsx would wrap named functions in helpers the page lacks.
 *  - every 'longtask' entry (buffered, so none before the observer is missed);
 *  - loadEnd: PerformanceNavigationTiming.loadEventEnd, read in a task after the load event;
 *  - loaderRunning: the loader's first read of document.currentScript (its first statement that
 *    touches the page, after compiling and defining its functions); loaderTaskEnd: a microtask
 *    queued then, which runs once the loader's synchronous top level has returned;
 *  - launcherInDom: the MutationObserver callback that first sees <palaver-widget> with its button
 *    (a microtask after the loader's task that appended it, with its stylesheets already adopted);
 *  - launcherPainted: the task after the next animation frame following that (rAF, then a
 *    MessageChannel message: the frame's style, layout and paint have run on the main thread);
 *  - click: the trusted click's event timestamp (when the input was dispatched, so input delay
 *    counts), seen first by a capture listener on window;
 *  - focused: the focusin (listened for on the shadow root) that puts focus on the panel's
 *    textarea while a role=dialog is rendered; interactive: the task after the next frame
 *    following that.
 * `until(name)` and `sleepUntil(t)` let the bench wait with one awaited CDP evaluation instead of
 * polling, and without Playwright's injected helper script: compiling that costs ~50 ms of main
 * thread at 4× throttling and would land inside the windows being measured.
 */
const PROBE = `(() => {
  const pv = { longTasks: [], loadEnd: null, loaderRunning: null, loaderTaskEnd: null,
    launcherInDom: null, launcherPainted: null, launcherSize: 0, click: null, clickSeen: null,
    focused: null, interactive: null };
  const waiting = {};
  const mark = (name, value) => {
    pv[name] = value;
    for (const resolve of waiting[name] || []) resolve(value);
    delete waiting[name];
  };
  Object.defineProperty(window, '__pvBench', { value: pv });
  Object.defineProperties(pv, {
    until: { value: (name, ms) => pv[name] !== null ? Promise.resolve(pv[name]) : new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(name + ' did not happen within ' + ms + ' ms')), ms);
      (waiting[name] = waiting[name] || []).push((value) => { clearTimeout(timer); resolve(value); });
    }) },
    sleepUntil: { value: (t) => new Promise((resolve) => setTimeout(resolve, Math.max(0, t - performance.now()))) },
  });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) pv.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {}
  const currentScript = Object.getOwnPropertyDescriptor(Document.prototype, 'currentScript').get;
  Object.defineProperty(document, 'currentScript', { configurable: true, get() {
    const script = currentScript.call(this);
    if (pv.loaderRunning === null && script && /\\/widget\\/widget\\.js$/.test(script.src)) {
      mark('loaderRunning', performance.now());
      queueMicrotask(() => mark('loaderTaskEnd', performance.now()));
    }
    return script;
  } });
  addEventListener('load', () => setTimeout(() =>
    mark('loadEnd', performance.getEntriesByType('navigation')[0].loadEventEnd)));
  const afterFrame = (done) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done(performance.now());
    channel.port2.postMessage(null);
  });
  // On the shadow root: a focus move inside it is not re-dispatched to the document.
  const watchFocus = (root) => root.addEventListener('focusin', () => {
    if (pv.click === null || pv.focused !== null) return;
    const active = root.activeElement;
    if (!active || active.localName !== 'textarea' || !root.querySelector('[role=dialog]')) return;
    mark('focused', performance.now());
    afterFrame((t) => mark('interactive', t));
  }, true);
  const observer = new MutationObserver(() => {
    const host = document.querySelector('palaver-widget');
    const root = host && host.shadowRoot;
    const button = root && root.querySelector('button');
    if (!button || pv.launcherInDom !== null) return;
    mark('launcherInDom', performance.now());
    observer.disconnect();
    watchFocus(root);
    afterFrame((t) => {
      const box = button.getBoundingClientRect();
      pv.launcherSize = box.width * box.height;
      mark('launcherPainted', t);
    });
  });
  observer.observe(document, { childList: true, subtree: true });
  addEventListener('click', (e) => {
    if (pv.click !== null) return;
    pv.clickSeen = performance.now();
    mark('click', e.timeStamp > 0 && e.timeStamp <= pv.clickSeen ? e.timeStamp : pv.clickSeen);
  }, true);
})();`;

interface ProbeState {
  longTasks: { start: number; duration: number }[];
  loadEnd: number | null;
  loaderRunning: number | null;
  loaderTaskEnd: number | null;
  launcherInDom: number | null;
  launcherPainted: number | null;
  launcherSize: number;
  click: number | null;
  clickSeen: number | null;
  focused: number | null;
  interactive: number | null;
}

interface PalaverRequest {
  method: string;
  path: string;
  /** Server time: request received → response finished (null for upgrades, or unfinished). */
  serverMs: number | null;
}

interface BlankRun {
  loadEnd: number;
  windowEnd: number;
  longTasks: number;
  tbt: number;
  heap: number;
}

interface WidgetRun extends BlankRun {
  /** Long tasks running the widget's own code (see tbtAddedMs). */
  ownLongTasks: number;
  ownTbt: number;
  loaderFetchStart: number;
  loaderResponseEnd: number;
  loaderRunning: number;
  loaderTaskEnd: number;
  sessionStart: number;
  sessionEnd: number;
  launcherInDom: number;
  launcherPainted: number;
  requestsBefore: PalaverRequest[];
  bytesBefore: number;
  loaderBytes: number;
  sessionBytes: number;
  click: number;
  clickToFocused: number;
  clickToInteractive: number;
  panelStart: number;
  panelEnd: number;
  focused: number;
  interactive: number;
  panelBytes: number;
  panelLongestTask: number;
  panelTbt: number;
  heapWithPanel: number;
}

/** One static server for both host pages, on its own loopback origin (see test/browser). */
async function serveHostPages(palaverUrl: string): Promise<{ origin: string; server: Server }> {
  const body = `<h1>A host page</h1>
<p>An ordinary article page: a heading and some text, nothing else competing for the main
thread, so that anything measured on top of it is the widget's.</p>`;
  const page = (snippet: string) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>
<meta name="viewport" content="width=device-width"></head><body>${body}${snippet}</body></html>`;
  const pages: Record<string, string> = {
    '/blank': page(''),
    '/widget': page(embedSnippet({ publicUrl: palaverUrl, projectId: DEMO_PROJECT_ID })),
  };
  const server = createServer((req, res) => {
    const html = pages[req.url ?? ''];
    if (!html) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Bytes on the wire (headers + encoded body) per URL prefix, from the page's own CDP session. */
function watchBytes(cdp: CDPSession, prefix: string) {
  const urls = new Map<string, string>();
  const done: { url: string; bytes: number }[] = [];
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    const url = urls.get(e.requestId);
    if (url?.startsWith(prefix)) done.push({ url, bytes: e.encodedDataLength });
  });
  return {
    total: () => done.reduce((sum, r) => sum + r.bytes, 0),
    matching: (pattern: RegExp) =>
      done.filter((r) => pattern.test(r.url)).reduce((sum, r) => sum + r.bytes, 0),
  };
}

async function openPage(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript({ content: PROBE });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLE });
  await cdp.send('Network.enable');
  return { context, page, cdp };
}

/** Evaluates in the page's main world over raw CDP (no Playwright helper script in the page). */
async function evaluate<T>(cdp: CDPSession, expression: string): Promise<T> {
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
    expression,
    returnByValue: true,
    awaitPromise: true,
  });
  if (exceptionDetails) {
    const reason = exceptionDetails.exception?.description ?? exceptionDetails.text;
    throw new Error(`page-cost: ${reason}`);
  }
  return result.value as T;
}

const probe = (cdp: CDPSession) => evaluate<ProbeState>(cdp, 'window.__pvBench');
const until = (cdp: CDPSession, name: keyof ProbeState) =>
  evaluate<number>(cdp, `window.__pvBench.until(${JSON.stringify(name)}, ${WAIT_MS})`);

type LongTask = ProbeState['longTasks'][number];
const blocking = (tasks: LongTask[]) =>
  tasks.reduce((sum, t) => sum + Math.max(0, t.duration - LONG_TASK_MS), 0);

/** Lets the page run until `windowEnd` on its own clock, then takes its long tasks before that. */
async function quietWindow(cdp: CDPSession, windowEnd: number) {
  await evaluate(cdp, `window.__pvBench.sleepUntil(${windowEnd})`);
  const state = await probe(cdp);
  const inWindow = state.longTasks.filter((t) => t.start < windowEnd);
  return { state, tasks: { longTasks: inWindow.length, tbt: blocking(inWindow) }, inWindow };
}

/** A real left click (trusted input events) at the launcher's centre. */
async function clickLauncher(cdp: CDPSession) {
  const [x, y] = await evaluate<[number, number]>(
    cdp,
    `(() => {
      const box = document.querySelector('palaver-widget').shadowRoot.querySelector('button').getBoundingClientRect();
      return [box.x + box.width / 2, box.y + box.height / 2];
    })()`,
  );
  const at = { x, y, button: 'left' as const, clickCount: 1 };
  await cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
  await cdp.send('Input.dispatchMouseEvent', { type: 'mousePressed', ...at });
  await cdp.send('Input.dispatchMouseEvent', { type: 'mouseReleased', ...at });
}

/** JS heap in use after a forced full GC, in bytes. */
async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

async function blankRun(browser: Browser, origin: string): Promise<BlankRun> {
  const { context, page, cdp } = await openPage(browser);
  try {
    await page.goto(`${origin}/blank`, { waitUntil: 'commit' });
    const end = await until(cdp, 'loadEnd');
    const windowEnd = end + QUIET_WINDOW_MS;
    const { tasks } = await quietWindow(cdp, windowEnd);
    return { loadEnd: end, windowEnd, ...tasks, heap: await heapAfterGc(cdp) };
  } finally {
    await context.close();
  }
}

async function widgetRun(
  browser: Browser,
  origin: string,
  demo: DemoServer,
  seen: PalaverRequest[],
): Promise<WidgetRun> {
  const { context, page, cdp } = await openPage(browser);
  const bytes = watchBytes(cdp, demo.url);
  try {
    seen.length = 0;
    await page.goto(`${origin}/widget`, { waitUntil: 'commit' });
    const end = await until(cdp, 'loadEnd');
    await until(cdp, 'launcherPainted');
    const shown = await probe(cdp);
    if (!shown.launcherSize) throw new Error('page-cost: the launcher was drawn with no size');
    if (shown.loaderRunning === null) {
      throw new Error('page-cost: the loader never read document.currentScript; update PROBE');
    }
    const windowEnd = Math.max(end + QUIET_WINDOW_MS, shown.launcherPainted!);
    const { tasks, inWindow, state } = await quietWindow(cdp, windowEnd);
    // The widget's own long tasks: those running the loader or drawing the launcher.
    const marks = [state.loaderRunning!, state.loaderTaskEnd!, state.launcherInDom!];
    const own = inWindow.filter((t) =>
      marks.some((at) => at >= t.start && at <= t.start + t.duration),
    );
    const requestsBefore = [...seen];
    const bytesBefore = bytes.total();
    const timing = await evaluate<
      Pick<WidgetRun, 'loaderFetchStart' | 'loaderResponseEnd' | 'sessionStart' | 'sessionEnd'>
    >(
      cdp,
      // Cross-origin entries without Timing-Allow-Origin still carry startTime and responseEnd.
      `(() => {
        const entry = (re) => performance.getEntriesByType('resource').find((e) => re.test(e.name));
        const loader = entry(/\\/widget\\/widget\\.js$/);
        const session = entry(/\\/api\\/widget\\/sessions$/);
        return {
          loaderFetchStart: loader.startTime,
          loaderResponseEnd: loader.responseEnd,
          sessionStart: session.startTime,
          sessionEnd: session.responseEnd,
        };
      })()`,
    );
    const heap = await heapAfterGc(cdp);

    await clickLauncher(cdp);
    await until(cdp, 'interactive');
    const opened = await probe(cdp);
    const click = opened.click!;
    const panelTasks = opened.longTasks.filter((t) => t.start >= click);
    const [panelStart, panelEnd] = await evaluate<[number, number]>(
      cdp,
      `(() => {
        const e = performance.getEntriesByType('resource').find((e) => /\\/widget\\/panel-[^/]+\\.js$/.test(e.name));
        return [e.startTime, e.responseEnd];
      })()`,
    );

    return {
      loadEnd: end,
      windowEnd,
      ...tasks,
      ownLongTasks: own.length,
      ownTbt: blocking(own),
      heap,
      ...timing,
      loaderRunning: shown.loaderRunning,
      loaderTaskEnd: shown.loaderTaskEnd!,
      launcherInDom: shown.launcherInDom!,
      launcherPainted: shown.launcherPainted!,
      requestsBefore,
      bytesBefore,
      loaderBytes: bytes.matching(/\/widget\/widget\.js$/),
      sessionBytes: bytes.matching(/\/api\/widget\/sessions$/),
      click,
      clickToFocused: opened.focused! - click,
      clickToInteractive: opened.interactive! - click,
      panelStart,
      panelEnd,
      focused: opened.focused!,
      interactive: opened.interactive!,
      panelBytes: bytes.matching(/\/widget\/panel-[^/]+\.js$/),
      panelLongestTask: Math.max(0, ...panelTasks.map((t) => t.duration)),
      panelTbt: blocking(panelTasks),
      heapWithPanel: await heapAfterGc(cdp),
    };
  } finally {
    await context.close();
  }
}

const median = (values: number[]) => summarize(values).p50;
const sessionServerMs = (r: WidgetRun) =>
  r.requestsBefore.find((q) => q.path === '/api/widget/sessions')?.serverMs;
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const range = (values: number[]) => `${round(Math.min(...values))}–${round(Math.max(...values))}`;

export async function run(options: { runs?: number } = {}): Promise<BenchSection> {
  const runs = Math.max(7, options.runs ?? 7);
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  if (!chromiumAvailable()) throw new Error('page-cost: Chromium is required');
  const widgetDir = join(distDir(), 'widget');
  if (!existsSync(join(widgetDir, 'widget.js'))) {
    throw new Error(`page-cost: no built widget in ${widgetDir}; run \`npm run build\` first`);
  }

  const [demo, browser] = await Promise.all([startDemoServer(), launchChromium()]);
  const host = await serveHostPages(demo.url);
  const seen: PalaverRequest[] = [];
  const record = (method: string, url: string) => {
    const entry: PalaverRequest = { method, path: new URL(url, demo.url).pathname, serverMs: null };
    seen.push(entry);
    return entry;
  };
  // Prepended: Express rewrites req.url while routing.
  demo.palaver.server.prependListener('request', (req, res) => {
    const entry = record(req.method ?? '?', req.url ?? '/');
    const received = performance.now();
    res.once('finish', () => (entry.serverMs = performance.now() - received));
  });
  demo.palaver.server.prependListener('upgrade', (req) => record('UPGRADE', req.url ?? '/'));

  const blanks: BlankRun[] = [];
  const widgets: WidgetRun[] = [];
  try {
    const project = await demo.services.projects.get(DEMO_PROJECT_ID);
    await demo.services.projects.update(DEMO_PROJECT_ID, {
      allowedOrigins: [...project.allowedOrigins, host.origin],
    });
    // Warm-up pair, discarded: the server's JIT, its gzip of widget.js, the OS page cache.
    await blankRun(browser, host.origin);
    await widgetRun(browser, host.origin, demo, seen);
    for (let i = 0; i < runs; i++) {
      blanks.push(await blankRun(browser, host.origin));
      widgets.push(await widgetRun(browser, host.origin, demo, seen));
    }
  } finally {
    await browser.close();
    await demo.close();
    await new Promise<void>((done) => host.server.close(() => done()));
  }

  const of = <T>(list: T[], pick: (r: T) => number) => list.map(pick);
  const m = <T>(list: T[], pick: (r: T) => number) => median(of(list, pick));

  const pageTbtDifference = m(widgets, (r) => r.tbt) - m(blanks, (r) => r.tbt);
  const ownTbt = of(widgets, (r) => r.ownTbt);
  const ownLongTaskRuns = `${widgets.filter((r) => r.ownLongTasks > 0).length}/${runs}`;
  const loadDelay = m(widgets, (r) => r.loadEnd) - m(blanks, (r) => r.loadEnd);
  const launcher = of(widgets, (r) => r.launcherPainted - r.loaderRunning);
  const withBlocking = (list: BlankRun[]) => `${list.filter((r) => r.tbt > 0).length}/${runs}`;
  const interactive = of(widgets, (r) => r.clickToInteractive);
  const heapAdded = m(widgets, (r) => r.heap) - m(blanks, (r) => r.heap);
  const heapWithPanelAdded = m(widgets, (r) => r.heapWithPanel) - m(blanks, (r) => r.heap);
  const requestCounts = of(widgets, (r) => r.requestsBefore.length);
  const requestList = [
    ...new Set(widgets.map((r) => r.requestsBefore.map((q) => `${q.method} ${q.path}`).join(', '))),
  ].join(' | ');
  const KB = 1024;

  const figures: BenchSection['figures'] = {
    runs,
    cpuThrottle: CPU_THROTTLE,
    tbtAddedMs: round(median(ownTbt)),
    tbtAddedRangeMs: range(ownTbt),
    runsWithWidgetLongTask: ownLongTaskRuns,
    blankPageTbtMs: round(m(blanks, (r) => r.tbt)),
    widgetPageTbtMs: round(m(widgets, (r) => r.tbt)),
    pageTbtDifferenceMs: round(pageTbtDifference),
    blankPageLongTasks: m(blanks, (r) => r.longTasks),
    widgetPageLongTasks: m(widgets, (r) => r.longTasks),
    blankPageRunsWithBlockingTime: withBlocking(blanks),
    widgetPageRunsWithBlockingTime: withBlocking(widgets),
    blankLoadEventEndMs: round(m(blanks, (r) => r.loadEnd)),
    widgetLoadEventEndMs: round(m(widgets, (r) => r.loadEnd)),
    loadDelayMs: round(loadDelay),
    // Where the widget page's time goes, each a median of its own (they need not add up).
    loaderFetchMs: round(m(widgets, (r) => r.loaderResponseEnd - r.loaderFetchStart)),
    loaderResponseEndMs: round(m(widgets, (r) => r.loaderResponseEnd)),
    loaderQueuedMs: round(m(widgets, (r) => r.loaderRunning - r.loaderResponseEnd)),
    loaderSyncRunMs: round(m(widgets, (r) => r.loaderTaskEnd - r.loaderRunning)),
    loaderRunToSessionRequestMs: round(m(widgets, (r) => r.sessionStart - r.loaderRunning)),
    sessionRequestMs: round(m(widgets, (r) => r.sessionEnd - r.sessionStart)),
    sessionServerMs: round(m(widgets, (r) => sessionServerMs(r) ?? NaN)),
    sessionAnswerToLauncherInDomMs: round(m(widgets, (r) => r.launcherInDom - r.sessionEnd)),
    launcherInDomToPaintedMs: round(m(widgets, (r) => r.launcherPainted - r.launcherInDom)),
    launcherVisibleMs: round(median(launcher)),
    launcherVisibleRangeMs: range(launcher),
    launcherVisibleFromLoaderResponseEndMs: round(
      m(widgets, (r) => r.launcherPainted - r.loaderResponseEnd),
    ),
    launcherVisibleFromNavigationMs: round(m(widgets, (r) => r.launcherPainted)),
    clickToInteractiveMs: round(median(interactive)),
    clickToInteractiveRangeMs: range(interactive),
    clickToFocusedMs: round(m(widgets, (r) => r.clickToFocused)),
    clickToPanelRequestMs: round(m(widgets, (r) => r.panelStart - r.click)),
    panelChunkFetchMs: round(m(widgets, (r) => r.panelEnd - r.panelStart)),
    panelChunkToFocusedMs: round(m(widgets, (r) => r.focused - r.panelEnd)),
    focusedToPaintedMs: round(m(widgets, (r) => r.interactive - r.focused)),
    panelOpenLongestTaskMs: round(m(widgets, (r) => r.panelLongestTask)),
    panelOpenTbtMs: round(m(widgets, (r) => r.panelTbt)),
    blankHeapKB: round(m(blanks, (r) => r.heap) / KB),
    widgetHeapKB: round(m(widgets, (r) => r.heap) / KB),
    heapAddedKB: round(heapAdded / KB),
    heapAddedWithPanelOpenKB: round(heapWithPanelAdded / KB),
    requestsBeforeInteraction: Math.max(...requestCounts),
    requestsBeforeInteractionList: requestList,
    bytesBeforeInteraction: m(widgets, (r) => r.bytesBefore),
    loaderBytes: m(widgets, (r) => r.loaderBytes),
    sessionStartBytes: m(widgets, (r) => r.sessionBytes),
    panelChunkBytes: m(widgets, (r) => r.panelBytes),
    loadAverage1m: `${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`,
    durationS: round((performance.now() - started) / 1000),
  };

  const ms = (value: number) => `${round(value)} ms`;
  const goals: GoalResult[] = [
    {
      goal: 'Total blocking time added',
      target: '0 ms',
      measured: `${ms(median(ownTbt))} (worst run ${ms(Math.max(...ownTbt))}; a long widget task in ${ownLongTaskRuns} runs; page TBT widget − blank: ${ms(pageTbtDifference)})`,
      pass: median(ownTbt) <= 0,
    },
    {
      goal: 'Load event delayed',
      target: '≤ 10 ms',
      measured: ms(loadDelay),
      pass: loadDelay <= 10,
    },
    {
      goal: 'Launcher visible after the loader starts',
      target: '≤ 100 ms',
      measured: `${ms(median(launcher))} (${ms(Number(figures.launcherVisibleFromLoaderResponseEndMs))} from the loader's response end)`,
      pass: median(launcher) <= 100,
    },
    {
      goal: 'Panel interactive after the click (4× throttled)',
      target: '≤ 300 ms',
      measured: ms(median(interactive)),
      pass: median(interactive) <= 300,
    },
    {
      goal: 'Requests to Palaver before interaction',
      target: '≤ 2',
      measured: `${Math.max(...requestCounts)} (worst run)`,
      pass: Math.max(...requestCounts) <= 2,
    },
  ];

  return {
    id: 'page-cost',
    title: 'Page cost of the widget (headless Chromium, 4× CPU throttling)',
    figures,
    goals,
    notes: [
      `Median of ${runs} runs per variant, blank and widget runs interleaved after one discarded warm-up pair; each run is a fresh browser context (empty HTTP cache and storage: a first visit, so the loader and the panel are fetched and compiled every time). "Added" = median(widget page) − median(blank page). The host page is the same static HTML on its own loopback origin, with or without the snippet as embedSnippet() writes it (queue stub + init; the loader script is inserted from the page's load event); Palaver is the real server with the Acme demo project, in this process, over loopback and unthrottled (only the browser is throttled).`,
      `Long tasks / TBT: every 'longtask' entry (buffered PerformanceObserver installed before any page script, on both variants) that starts between navigation start and max(loadEventEnd + ${QUIET_WINDOW_MS} ms, launcher painted); TBT = Σ(duration − 50 ms), stricter than Lighthouse's FCP→TTI window (nothing before first paint is excluded). tbtAddedMs (the goal) is the widget's own share, per run: the blocking time of the long tasks that contain the loader's first run (loaderRunning, loaderTaskEnd) or the launcher's drawing (launcherInDom); median and range over runs, runsWithWidgetLongTask counts runs with any. pageTbtDifferenceMs (median widget-page TBT − median blank-page TBT) is shown too, but on a loaded machine the host page's own first layout turns into a long task now and then, so that difference is noise-dominated and can be negative.`,
      'Load event delay: PerformanceNavigationTiming.loadEventEnd (from navigation start), widget minus blank. The snippet inserts the loader from the load event, so nothing of the widget is fetched before it: what remains is the snippet’s own inline script (queue stub and listener).',
      "Launcher visible (the goal): from the loader starting to run (its first read of document.currentScript, right after compiling and defining its functions) to the task after the first animation frame once <palaver-widget> and its button are in the DOM (style, layout and paint of that frame done). The loader returns from its first task at once and draws the launcher in the next one (default look, restyled when the session answer brings the project's), while the session request runs in a third; the session parts (sessionRequestMs, sessionServerMs) are still reported but no longer lie in this window. launcherVisibleFromLoaderResponseEndMs also counts loaderQueuedMs: the script's bytes waiting for a main thread busy with the host page's own parsing and first layout, which the blank page does too.",
      "Panel interactive: from the trusted click's event timestamp (a real mouse press/release at the launcher through CDP Input) to the task after the first frame once the dialog is rendered and its textarea has focus. It includes fetching and compiling the lazy panel chunk (first open on a first visit) and mounting it; the panel's 180 ms entry animation is cosmetic and not waited for. clickToFocusedMs stops at the focus itself. Parts: clickToPanelRequestMs (click handler until the chunk request starts), panelChunkFetchMs, panelChunkToFocusedMs (compiling and running the chunk, the first Preact render, then the effect that focuses the textarea, which Preact runs after a frame), focusedToPaintedMs. panelOpen* are the long tasks after the click (not part of the page-load TBT).",
      'JS heap: Runtime.getHeapUsage usedSize after HeapProfiler.collectGarbage at the end of the long-task window (before interaction), widget minus blank; heapAddedWithPanelOpenKB is measured again once the panel is interactive (open WebSocket, Preact tree, stores).',
      'Requests: counted at the Palaver HTTP server (every request and WebSocket upgrade, so a CORS preflight would count too) from navigation to the end of the long-task window. Bytes: CDP Network.loadingFinished encodedDataLength (headers + compressed body) of the requests to the Palaver origin.',
      'The page is driven over raw CDP only (Runtime.evaluate, Input.dispatchMouseEvent): Playwright locators and waitForFunction inject a helper script whose compilation alone is a ~50 ms task at 4× throttling, inside the windows measured. In-page clocks are performance.now() (0.1 ms resolution here).',
      `Machine: ${cpus().length} CPUs, 1-minute load average ${loadBefore.toFixed(2)} at the start and ${loadavg()[0]!.toFixed(2)} at the end. Load from other processes stretches everything here, above all the loopback round trips and the synchronous browser-process calls (first localStorage access, fetch start): read the ranges as the run-to-run spread.`,
    ],
  };
}

function print(section: BenchSection): void {
  const f = section.figures;
  console.log(`\n${section.title}\n`);
  const rows: [string, string][] = Object.entries(f).map(([k, v]) => [k, String(v)]);
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`| ${'figure'.padEnd(width)} | value`);
  console.log(`|-${'-'.repeat(width)}-|------`);
  for (const [k, v] of rows) console.log(`| ${k.padEnd(width)} | ${v}`);
  console.log('\n| goal | target | measured | pass |\n|---|---|---|---|');
  for (const g of section.goals) {
    console.log(`| ${g.goal} | ${g.target} | ${g.measured} | ${g.pass ? 'pass' : 'MISS'} |`);
  }
  for (const note of section.notes ?? []) console.log(`\n- ${note}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
  print(await run({ runs: Number(values.runs) }));
}
