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
    // Beside the two posted here: the events of the seeded subscription (Acme's users pushed).
    const table = page.getByRole('table', { name: /The last \d+ deliveries, newest first/ });
    const row = (text: string | RegExp) => table.getByRole('row').filter({ hasText: text });
    await expect.poll(() => row('evt_page_1').count()).toBe(1);
    expect(await row('evt_page_2').innerText()).toMatch(
      /evt_page_2\s+rejected: signature does not match/,
    );
    expect(await row('evt_page_1').innerText()).toMatch(
      /evt_page_1\s+signature verified\s+conversation conv_7 \(open\)/,
    );
    expect(
      await row(/contact u_1001/)
        .first()
        .innerText(),
    ).toMatch(/signature verified\s+contact u_1001/);
    expect(await axeViolations(page)).toEqual([]);
  });
});
