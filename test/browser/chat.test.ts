import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_PROJECT_ID } from '../../demo/seed.js';
import {
  chromiumAvailable,
  launchChromium,
  signInToConsole,
  watchPageProblems,
} from '../support/browser.js';
import { axeViolations } from '../support/axe.js';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';
import { startHostileSite, type HostSite } from '../support/host-site.js';

const run = chromiumAvailable();

describe.runIf(run)('widget and agent console in Chromium', () => {
  let demo: DemoServer;
  let browser: Browser;

  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemoServer(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  const signInAgent = () => signInToConsole(browser, demo.url, demo.admin);

  async function openWidget(page: Page): Promise<void> {
    await page.getByRole('button', { name: /Open support chat/ }).click();
    await page.getByRole('dialog', { name: /Chat with/ }).waitFor();
  }

  test('a visitor and an agent chat live, and the history survives a reload', async () => {
    const visitor = await (await browser.newContext()).newPage();
    const problems = await watchPageProblems(visitor);
    await visitor.goto(`${demo.url}/demo/`);
    await openWidget(visitor);
    const composer = visitor.getByRole('textbox', { name: 'Message' });
    await composer.fill('My invoice shows the wrong amount');
    await composer.press('Enter');
    const log = visitor.getByRole('log', { name: 'Messages' });
    await log.getByText('My invoice shows the wrong amount').waitFor();
    await expect.poll(() => visitor.getByText('Sending…').count()).toBe(0);

    const agent = await signInAgent();
    await agent.getByText('My invoice shows the wrong amount').first().click();
    const reply = agent.getByRole('textbox', { name: /Reply/ });
    await reply.fill('Sorry about that! Which invoice number is it?');
    await reply.press('Enter');

    await log.getByText('Which invoice number is it?').waitFor();
    await visitor.reload();
    await openWidget(visitor);
    await log.getByText('My invoice shows the wrong amount').waitFor();
    await log.getByText('Which invoice number is it?').waitFor();
    expect(problems.errors).toEqual([]);
  });

  test('the agent sees the visitor typing and the visitor sees the agent typing', async () => {
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${demo.url}/demo/`);
    await openWidget(visitor);
    await visitor.getByRole('textbox', { name: 'Message' }).fill('Typing test opener');
    await visitor.keyboard.press('Enter');
    await visitor.getByRole('log').getByText('Typing test opener').waitFor();

    const agent = await signInAgent();
    await agent.getByText('Typing test opener').first().click();
    await agent.getByRole('textbox', { name: /Reply/ }).pressSequentially('Let me check', {
      delay: 20,
    });
    await visitor.getByText(/is typing…/).waitFor();

    await visitor.getByRole('textbox', { name: 'Message' }).pressSequentially('more details', {
      delay: 20,
    });
    await agent
      .getByText(/typing/i)
      .first()
      .waitFor();
  });

  test('the launcher is keyboard operable and Escape returns focus to it', async () => {
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${demo.url}/demo/`);
    const launcher = visitor.getByRole('button', { name: /Open support chat/ });
    await launcher.focus();
    await visitor.keyboard.press('Enter');
    const composer = visitor.getByRole('textbox', { name: 'Message' });
    await expect
      .poll(() => composer.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement))
      .toBe(true);
    await visitor.keyboard.press('Escape');
    await visitor.getByRole('dialog').waitFor({ state: 'detached' });
    const focused = await visitor.evaluate(() =>
      document
        .querySelector('palaver-widget')
        ?.shadowRoot?.activeElement?.getAttribute('aria-label'),
    );
    expect(focused).toBe('Open support chat');
  });

  test('the open chat passes axe’s WCAG 2.1 AA checks, and a long history scrolls from the keyboard', async () => {
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${demo.url}/demo/`);
    await openWidget(visitor);
    const composer = visitor.getByRole('textbox', { name: 'Message' });
    const lines = Array.from({ length: 40 }, (_, i) => `Order line ${i + 1}`);
    await composer.fill(lines.join('\n'));
    await composer.press('Enter');
    await visitor.getByRole('log', { name: 'Messages' }).getByText('Order line 40').waitFor();
    await expect.poll(() => visitor.getByText('Sending…').count()).toBe(0);

    expect(await axeViolations(visitor, 'palaver-widget')).toEqual([]);

    const history = visitor.getByRole('region', { name: 'Conversation history' });
    const scrollTop = () => history.evaluate((el) => el.scrollTop);
    await expect.poll(scrollTop).toBeGreaterThan(0);
    await composer.focus();
    await visitor.keyboard.press('Shift+Tab');
    await expect
      .poll(() => history.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement))
      .toBe(true);
    await visitor.keyboard.press('Home');
    await expect.poll(scrollTop).toBe(0);
  });

  test('bad init options log one clear warning, never throw, and the chat still works', async () => {
    const page = await (await browser.newContext()).newPage();
    const problems = await watchPageProblems(page);
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'warning' && m.text().startsWith('[Palaver]')) warnings.push(m.text());
    });
    // Served from the demo origin, which the demo project allows.
    await page.route(`${demo.url}/demo/bad-options`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><body><script>
          (function(w,n){w[n]=w[n]||function(){(w[n].q=w[n].q||[]).push(arguments)}})(window,'Palaver');
          Palaver('init', { projectId: ${JSON.stringify(DEMO_PROJECT_ID)}, externalUserId: 42, color: 'red', colour: '#fff' });
          Palaver('no-such-command');
          Palaver('on', 'ready', function () { throw new Error('site handler bug'); });
        </script><script async src="${demo.url}/widget/widget.js"></script></body>`,
      }),
    );
    await page.goto(`${demo.url}/demo/bad-options`);
    await openWidget(page);
    expect(warnings[0]).toMatch(
      /init: .*invalid externalUserId 42.*invalid color "red".*unknown option "colour"/,
    );
    expect(warnings[1]).toMatch(/unknown command "no-such-command"/);
    expect(warnings).toHaveLength(2);
    expect(problems.errors).toEqual([]);
  });

  describe('on a hostile host page', () => {
    let site: HostSite;

    beforeAll(async () => {
      site = await startHostileSite(demo.url, DEMO_PROJECT_ID);
      const project = await demo.services.projects.get(DEMO_PROJECT_ID);
      await demo.services.projects.update(DEMO_PROJECT_ID, {
        allowedOrigins: [...project.allowedOrigins, site.origin],
      });
    });
    afterAll(() => site?.close());

    test('a strict CSP and `all: unset !important` leave a working widget with no violations', async () => {
      const page = await (await browser.newContext()).newPage();
      const problems = await watchPageProblems(page);
      await page.goto(`${site.origin}/`);
      const launcher = page.getByRole('button', { name: /Open support chat/ });
      await launcher.waitFor();
      const box = await launcher.boundingBox();
      expect(box?.width).toBe(56);
      expect(box?.height).toBe(56);
      await launcher.click();
      const composer = page.getByRole('textbox', { name: 'Message' });
      expect(await composer.evaluate((el) => getComputedStyle(el).fontSize)).toBe('16px');
      await composer.fill('Hello from a hostile page');
      await composer.press('Enter');
      await page.getByRole('log').getByText('Hello from a hostile page').waitFor();
      await expect.poll(() => page.getByText('Sending…').count()).toBe(0);
      // The host's own elements were not restyled by the widget either.
      expect(await page.evaluate(() => getComputedStyle(document.body).color)).toBe(
        'rgb(0, 255, 0)',
      );
      expect(await problems.cspViolations()).toEqual([]);
      expect(problems.errors).toEqual([]);
    });
  });
});
