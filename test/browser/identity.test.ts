import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  acmeUserWrites,
  chromiumAvailable,
  launchChromium,
  watchPageProblems,
} from '../support/browser.js';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';

const run = chromiumAvailable();

describe.runIf(run)('identity handoff on the Acme demo, in Chromium', () => {
  let demo: DemoServer;
  let browser: Browser;
  let agent: Page;

  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemoServer(), launchChromium()]);
    agent = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await agent.goto(`${demo.url}/agent/`);
    await agent.getByLabel('Email').fill(demo.admin.email);
    await agent.getByLabel('Password').fill(demo.admin.password);
    await agent.getByRole('button', { name: /sign in/i }).click();
    await agent.getByRole('heading', { name: 'Inbox' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  /** Signs in on Acme as one of its users, opens the widget and writes `text`. */
  async function visitorWrites(userName: RegExp, text: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    return acmeUserWrites(page, demo.url, userName, text);
  }

  async function openConversation(text: string): Promise<void> {
    await agent.goto(`${demo.url}/agent/`);
    await agent.getByText(text).first().click();
  }

  test('a signed-in user arrives verified, with the profile and metadata from the Acme API', async () => {
    await visitorWrites(/Alice Martin/, 'Where is order ORD-20931?');
    await openConversation('Where is order ORD-20931?');
    const panel = agent.getByRole('complementary');
    await panel.getByText('Verified', { exact: true }).first().waitFor();
    await panel.getByText('Alice Martin').first().waitFor();
    await panel.getByRole('link', { name: 'alice@acme.test' }).waitFor();
    await panel.getByText('Martin & Co').waitFor();
    await panel.getByText(/from Acme API/).waitFor();
    // The card number in Acme's metadata was dropped before it was stored.
    expect(await panel.getByText('4242 4242 4242 4242').count()).toBe(0);

    await panel.getByTitle(/Fetch this profile/).click();
    await expect
      .poll(async () => {
        const log = await demo.services.store.identity.listLog('demo', {});
        return log.filter((e) => e.trigger === 'refresh' && e.externalUserId === 'u_1001').length;
      })
      .toBe(1);
    await panel.getByText(/from Acme API/).waitFor();
  });

  test('a user the Acme API does not know shows as a new profile with only the id', async () => {
    await visitorWrites(/Dana New/, 'I just signed up');
    await openConversation('I just signed up');
    const panel = agent.getByRole('complementary');
    await panel.getByText('u_2001').first().waitFor();
    await panel
      .getByText(/does not know|new to/i)
      .first()
      .waitFor();
    expect(await panel.getByText('dana@acme.test').count()).toBe(0);
  });

  test('HTML and script in profile fields render as text and never run', async () => {
    const dialogs: string[] = [];
    agent.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const problems = await watchPageProblems(agent);
    await visitorWrites(/Mallory Markup/, 'Hello from Mallory');
    await openConversation('Hello from Mallory');
    const panel = agent.getByRole('complementary');
    await panel.getByText('<img src=x onerror=alert(1)>', { exact: false }).first().waitFor();
    expect(await panel.getByRole('link', { name: /javascript:/ }).count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(problems.errors).toEqual([]);
  });

  test('an upgrade on the site reaches the open conversation’s profile live', async () => {
    const page = await visitorWrites(/Bob Okafor/, 'Can I get more projects?');
    await openConversation('Can I get more projects?');
    const panel = agent.getByRole('complementary');
    const plan = panel
      .locator('.meta-row')
      .filter({ has: agent.getByText('Plan', { exact: true }) })
      .getByRole('definition');
    // The value, then its source tag: pulled from Acme's user endpoint.
    await expect.poll(() => plan.textContent()).toMatch(/^Starterpull\b/);

    await page.getByRole('button', { name: 'Close support chat' }).click();
    await page.getByRole('button', { name: 'Upgrade to Pro' }).click();
    await page.getByText(/Your plan is now Pro/).waitFor();
    // Acme's server pushed the trait; the agent's panel follows without a reload.
    await expect.poll(() => plan.textContent()).toMatch(/^Propush\b/);
    await panel.getByText('Okafor Freight').waitFor();
  });

  test('signing out gives the next person on the browser a fresh, anonymous chat', async () => {
    const page = await visitorWrites(/Bob Okafor/, 'Bob private question');
    await page.getByRole('button', { name: 'Close support chat' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/signed-out/);
    await page.getByRole('button', { name: /Open support chat/ }).click();
    await page.getByRole('dialog', { name: /Chat with/ }).waitFor();
    expect(await page.getByRole('log').getByText('Bob private question').count()).toBe(0);
  });
});
