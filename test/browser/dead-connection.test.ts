import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  chromiumAvailable,
  launchChromium,
  openChat,
  signInToConsole,
} from '../support/browser.js';
import { startHostileSite, type HostSite } from '../support/host-site.js';
import { CuttableProxy } from '../support/outage.js';
import { ADMIN, startTestServer, type TestServer } from '../support/server.js';

const run = chromiumAvailable();
const PROJECT = 'sleepy';

/**
 * The widget and the console reach the server through a relay that can make every open connection
 * go silent without closing it (laptop sleep, a NAT timeout, a proxy dropping it).
 */
describe.runIf(run)('a connection that dies without a close', () => {
  let server: TestServer;
  let proxy: CuttableProxy;
  let host: HostSite;
  let browser: Browser;
  let via: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    proxy = new CuttableProxy('127.0.0.1', Number(new URL(server.url).port));
    await proxy.up();
    via = `http://127.0.0.1:${proxy.port}`;
    host = await startHostileSite(via, PROJECT);
    await server.services.projects.create({
      id: PROJECT,
      name: 'Sleepy',
      allowedOrigins: [host.origin],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await proxy?.down();
    await server?.close();
  });

  const signIn = () => signInToConsole(browser, via, ADMIN);

  test('is noticed within seconds; messages written into it are sent again by themselves, never "Not sent"', async () => {
    const {
      page: visitor,
      problems,
      log: widgetLog,
      composer,
    } = await openChat(browser, host.origin);
    await composer.fill('Hello before the nap');
    await composer.press('Enter');
    await expect.poll(() => visitor.getByText('Sending…').count()).toBe(0);
    const agent = await signIn();
    await agent.getByText('Hello before the nap').first().click();
    const consoleLog = agent.getByRole('log');
    await consoleLog.getByText('Hello before the nap').waitFor();
    const reply = agent.getByRole('textbox', { name: /Reply/ });

    // The open connections go silent without a close; new ones get through.
    proxy.blackHole();
    proxy.forward();
    const frozenAt = Date.now();
    await composer.fill('Written into a dead connection');
    await composer.press('Enter');
    await reply.fill('Answered into a dead connection');
    await reply.press('Enter');

    // Each side gets the other's message: both were sent again on a new connection by themselves.
    await consoleLog.getByText('Written into a dead connection').waitFor({ timeout: 14_000 });
    await widgetLog.getByText('Answered into a dead connection').waitFor({ timeout: 14_000 });
    expect(Date.now() - frozenAt).toBeLessThan(14_000);
    await expect.poll(() => visitor.getByText('Sending…').count()).toBe(0);
    await expect.poll(() => agent.getByText('Sending…').count()).toBe(0);
    expect(await visitor.getByText(/Not sent/).count()).toBe(0);
    expect(await agent.getByText(/Not delivered|Not sent/).count()).toBe(0);
    expect(problems.errors).toEqual([]);
  }, 60_000);
});
