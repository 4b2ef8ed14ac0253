import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signatureHeader } from '../../server/signing/index.js';
import { axeViolations } from '../support/axe.js';
import { chromiumAvailable, launchChromium } from '../support/browser.js';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';

/** Acme’s pages of its orders and of the webhooks its receiver got, as a person reads them. */
describe.runIf(chromiumAvailable())('the demo’s orders and webhook pages', () => {
  let demo: DemoServer;
  let browser: Browser;

  function deliver(id: string, secret: string) {
    const body = JSON.stringify({
      id,
      type: 'conversation.created',
      createdAt: new Date().toISOString(),
      projectId: 'demo',
      data: { conversation: { id: 'conv_7', status: 'open' } },
    });
    return fetch(`${demo.url}/demo-api/palaver/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'palaver-signature': signatureHeader([secret], body, new Date()),
        'palaver-event-id': id,
        'palaver-event-type': 'conversation.created',
      },
      body,
    });
  }

  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemoServer(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  test('list Alice’s orders, and verified and rejected deliveries, in accessible tables', async () => {
    expect((await deliver('evt_page_1', demo.signingSecret)).status).toBe(200);
    expect((await deliver('evt_page_2', 'palsig_' + 'z'.repeat(48))).status).toBe(401);
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${demo.url}/demo/`);
    await page.getByRole('button', { name: /Alice Martin/ }).click();
    const orders = page.getByRole('table', { name: /Newest first/ });
    expect(await orders.getByRole('row').count()).toBe(5);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Webhooks' }).click();
    const table = page.getByRole('table', { name: /The last 2 deliveries/ });
    const rows = table.getByRole('row');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.nth(1).innerText()).toMatch(
      /evt_page_2\s+rejected: signature does not match/,
    );
    expect(await rows.nth(2).innerText()).toMatch(
      /evt_page_1\s+signature verified\s+conversation conv_7 \(open\)/,
    );
    expect(await axeViolations(page)).toEqual([]);
  });
});
