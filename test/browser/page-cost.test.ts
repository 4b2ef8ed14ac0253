import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_PROJECT_ID } from '../../demo/seed.js';
import { embedSnippet } from '../../widget/snippet.js';
import { chromiumAvailable, launchChromium } from '../support/browser.js';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';

const run = chromiumAvailable();
const KB = 1024;

/** A plain host page on its own loopback origin (Chrome blocks public pages from reaching loopback). */
async function serveHostPage(html: string) {
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end(html),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.runIf(run)('what the widget costs a host page', () => {
  let demo: DemoServer;
  let browser: Browser;
  let host: { origin: string; close(): Promise<void> };

  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemoServer(), launchChromium()]);
    host = await serveHostPage(
      `<!doctype html><title>Host</title><h1>A host page</h1>
${embedSnippet({ publicUrl: demo.url, projectId: DEMO_PROJECT_ID })}`,
    );
    const project = await demo.services.projects.get(DEMO_PROJECT_ID);
    await demo.services.projects.update(DEMO_PROJECT_ID, {
      allowedOrigins: [...project.allowedOrigins, host.origin],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await host?.close();
  });

  test('the snippet never delays the load event, makes two requests before the visitor interacts, loads no panel code until the chat opens, within budget', async () => {
    const page = await (await browser.newContext()).newPage();
    const toPalaver: Request[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(demo.url)) toPalaver.push(request);
    });
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));

    await page.goto(`${host.origin}/`);
    await page.getByRole('button', { name: /Open support chat/ }).waitFor();
    await page.waitForLoadState('networkidle');

    expect(toPalaver.map((r) => `${r.method()} ${new URL(r.url()).pathname}`)).toEqual([
      'GET /widget/widget.js',
      'POST /api/widget/sessions',
    ]);
    expect(sockets).toEqual([]);
    // A script that delays the load event has arrived before it fires; the snippet's arrives after.
    const timing = await page.evaluate((url) => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const loader = performance.getEntriesByName(url)[0] as PerformanceResourceTiming;
      return { loadEvent: nav.loadEventStart, loaderArrived: loader.responseEnd };
    }, `${demo.url}/widget/widget.js`);
    expect(timing.loadEvent).toBeLessThan(timing.loaderArrived);
    const loader = await toPalaver[0]!.response();
    expect(loader?.headers()['content-encoding']).toMatch(/br|gzip/);
    const loaderBytes = (await toPalaver[0]!.sizes()).responseBodySize;
    expect(loaderBytes).toBeLessThanOrEqual(3 * KB);

    await page.getByRole('button', { name: /Open support chat/ }).click();
    await page.getByRole('dialog', { name: /Chat with/ }).waitFor();
    const panel = toPalaver.find((r) => /\/widget\/panel-[^/]+\.js$/.test(r.url()));
    expect(panel).toBeDefined();
    const panelBytes = (await panel!.sizes()).responseBodySize;
    expect(panelBytes).toBeLessThanOrEqual(22 * KB);
    expect(loaderBytes + panelBytes).toBeLessThanOrEqual(25 * KB);
  });
});
