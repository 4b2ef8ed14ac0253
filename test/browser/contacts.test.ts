import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type {
  BulkIdentifyResult,
  CreatedApiKey,
  RotateSecretResponse,
} from '../../protocol/index.js';
import { chromiumAvailable, launchChromium, signInToConsole } from '../support/browser.js';
import { AgentClient, rawRequest, startConversation } from '../support/clients.js';
import { axeViolations } from '../support/axe.js';
import { verifiedAs } from '../support/identity.js';
import { ADMIN, AGENT, PROJECT_ID, startTestServer, type TestServer } from '../support/server.js';

const run = chromiumAvailable();

describe.runIf(run)('the Contacts pages in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let key: string;

  /** The site's servers, through the public API with an API key. */
  function api(method: string, path: string, body?: unknown) {
    return rawRequest(server.url, `/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
    const admin = await AgentClient.login(server.url, ADMIN.email, ADMIN.password);
    const created = await admin.request<CreatedApiKey>(
      'POST',
      `/api/admin/projects/${PROJECT_ID}/api-keys`,
      { label: 'CRM sync', roles: ['contacts:write', 'contacts:read'] },
    );
    expect(created.status).toBe(201);
    key = created.body.secret;
    const pushed = await api('POST', '/contacts/bulk', {
      contacts: [
        {
          externalId: 'u_jane',
          name: 'Jane Doe',
          email: 'jane@acme.test',
          properties: { plan: 'Pro' },
        },
        { externalId: 'u_john', name: 'John Roe', email: 'john@acme.test' },
        {
          externalId: 'u_johnny',
          name: 'Johnny Roe',
          email: 'johnny@acme.test',
          properties: { team: 'Rockets' },
        },
        { externalId: 'u_ann', name: 'Ann Lee', properties: { company: 'Lighthouse Ltd' } },
        { externalId: 'u_amy', name: 'Amy Poe' },
        { externalId: 'u_amy_old', name: 'Amy P.', properties: { legacy: true } },
      ],
    });
    expect((pushed.body as BulkIdentifyResult).applied).toBe(6);
    // Jane chats signed in (verified); Johnny only names himself, which the project allows.
    await admin.request('PATCH', `/api/admin/projects/${PROJECT_ID}/integration`, {
      requireVerified: false,
    });
    const rotated = await admin.request<RotateSecretResponse>(
      'POST',
      `/api/admin/projects/${PROJECT_ID}/identity-secret`,
      { graceHours: 0 },
    );
    await startConversation(server, {
      session: verifiedAs({ id: PROJECT_ID, secret: rotated.body.secret }, 'u_jane'),
      body: 'Jane here, about my plan',
    });
    await startConversation(server, {
      session: { externalUserId: 'u_johnny' },
      body: 'Johnny here, the other account',
    });
    await startConversation(server, {
      session: { externalUserId: 'u_amy_old' },
      body: "Amy's old account asking",
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openContacts(credentials = ADMIN): Promise<Page> {
    const page = await signInToConsole(browser, server.url, credentials);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Contacts' })
      .click();
    await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    return page;
  }

  const rows = (page: Page) => page.getByTestId('contact-row');

  test('an agent lists the contacts and searches them by name and by property value', async () => {
    const page = await openContacts(AGENT);
    await expect.poll(() => rows(page).count()).toBe(6);
    expect(await axeViolations(page)).toEqual([]);
    const jane = rows(page).filter({ hasText: 'Jane Doe' });
    await jane.getByText('Pushed').waitFor();
    await jane.getByText('Verified').waitFor();
    await rows(page).filter({ hasText: 'Johnny Roe' }).getByText('Unverified').waitFor();
    await rows(page).filter({ hasText: 'Ann Lee' }).getByText('Never chatted').waitFor();

    const search = page.getByRole('searchbox', { name: 'Search contacts' });
    await search.fill('roe');
    await expect.poll(() => rows(page).count()).toBe(2);
    await search.fill('Lighthouse');
    await expect
      .poll(() => rows(page).allTextContents())
      .toEqual([expect.stringContaining('Ann Lee')]);

    await search.fill('');
    await page.getByRole('combobox', { name: 'Identity' }).selectOption('unseen');
    await expect.poll(() => rows(page).count()).toBe(3);

    await rows(page).getByRole('link', { name: 'Ann Lee' }).click();
    await page.getByRole('heading', { name: 'Ann Lee', level: 1 }).waitFor();
    await page.getByText('push · CRM sync · just now').first().waitFor();
    expect(await page.getByRole('button', { name: /Delete|Merge/ }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });

  test('an admin merges one contact into another and sees the conversation move', async () => {
    const page = await openContacts();
    await rows(page).getByRole('link', { name: 'John Roe' }).click();
    await page.getByRole('heading', { name: 'John Roe', level: 1 }).waitFor();
    const conversations = page.getByRole('region', { name: /Conversations/ });
    await conversations.getByText('this person has not chatted yet', { exact: false }).waitFor();

    await page.getByRole('button', { name: 'Merge…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Merge another contact into John Roe' });
    await dialog.getByLabel('Other contact', { exact: true }).fill('johnny');
    await dialog.getByRole('button', { name: /Johnny Roe/ }).click();
    await dialog
      .getByText("Johnny Roe will be merged into John Roe: this contact's values win conflicts")
      .waitFor();
    await dialog.getByRole('button', { name: 'Merge', exact: true }).click();

    await page
      .getByText('Johnny Roe was merged into John Roe: 1 conversation moved here.')
      .waitFor();
    await conversations.getByText('Johnny here, the other account').waitFor();
    await page.getByRole('region', { name: 'Properties' }).getByText('Rockets').waitFor();
    expect((await api('GET', '/contacts/u_johnny')).status).toBe(404);
    await page.context().close();
  });

  test('an admin deletes a contact after typing its id; the conversation stays, marked', async () => {
    const page = await openContacts();
    await rows(page).getByRole('link', { name: 'Jane Doe' }).click();
    await page.getByRole('heading', { name: 'Jane Doe', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Jane Doe?' });
    await dialog
      .getByText(
        "Erases Jane Doe's profile, properties and identity data. Their 1 conversation stays, marked “Deleted contact”.",
      )
      .waitFor();
    const erase = dialog.getByRole('button', { name: 'Delete contact' });
    expect(await erase.isDisabled()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    // Escape closes the dialog without deleting; focus returns to the button that opened it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Delete…');
    await page.getByRole('button', { name: 'Delete…' }).click();
    await dialog.getByLabel(/to confirm/).fill('u_jane');
    await erase.click();

    await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    await page
      .getByRole('status')
      .getByText('Jane Doe was deleted. Their 1 conversation stays, marked “Deleted contact”.')
      .waitFor();
    await expect.poll(() => rows(page).filter({ hasText: 'Jane Doe' }).count()).toBe(0);
    expect((await api('GET', '/contacts/u_jane')).status).toBe(404);

    await page.goto(`${server.url}/agent/`);
    await page.getByText('Jane here, about my plan').first().click();
    await page
      .getByRole('complementary', { name: 'Visitor details' })
      .getByTestId('contact-erased')
      .waitFor();
    await page.context().close();
  });

  test('an open contact page follows a merge made by the site through the API', async () => {
    const page = await openContacts(AGENT);
    await rows(page).getByRole('link', { name: 'Amy Poe' }).click();
    await page.getByRole('heading', { name: 'Amy Poe', level: 1 }).waitFor();
    const conversations = page.getByRole('region', { name: /Conversations/ });
    await conversations.getByText('this person has not chatted yet', { exact: false }).waitFor();

    const merged = await api('POST', '/contacts/u_amy/merge', { fromExternalId: 'u_amy_old' });
    expect(merged.status).toBe(200);

    await conversations.getByText("Amy's old account asking").waitFor();
    await page.getByRole('region', { name: 'Properties' }).getByText('Legacy').waitFor();
    await page.context().close();
  });

  test('an open conversation shows a pushed trait change and a merge as they happen', async () => {
    await api('POST', '/contacts/bulk', {
      contacts: [
        { externalId: 'u_kim', name: 'Kim Park', email: 'kim@acme.test' },
        { externalId: 'u_kim_old', name: 'Kim P.' },
      ],
    });
    await startConversation(server, {
      session: { externalUserId: 'u_kim_old' },
      body: 'Kim asking from the old account',
    });
    const page = await signInToConsole(browser, server.url, AGENT);
    await page.getByText('Kim asking from the old account').first().click();
    const panel = page.getByRole('complementary', { name: 'Visitor details' });
    await panel.getByText('Kim P.').first().waitFor();

    expect((await api('PUT', '/contacts/u_kim_old', { properties: { plan: 'Gold' } })).status).toBe(
      200,
    );
    await panel.getByText('Gold').waitFor();

    const merged = await api('POST', '/contacts/u_kim/merge', { fromExternalId: 'u_kim_old' });
    expect(merged.status).toBe(200);
    await panel.getByText('kim@acme.test').waitFor();
    await panel.getByText('Kim Park').first().waitFor();
    await page.context().close();
  });
});
