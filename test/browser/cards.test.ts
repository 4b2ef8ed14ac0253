import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_PROJECT_ID } from '../../demo/seed.js';
import { axeViolations } from '../support/axe.js';
import {
  acmeUserWrites,
  chromiumAvailable,
  launchChromium,
  signInToConsole,
} from '../support/browser.js';
import { answer, CardSite } from '../support/card-site.js';
import { startDemoServer, type DemoServer } from '../support/demo-server.js';

const MARKUP = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(1)</script>';
const LINK_MARKUP = '<a href="javascript:alert(1)">click</a>';

/** A card a hostile site may send, and Palaver must accept: HTML in every string, all as text. */
const MARKUP_CARD = {
  version: 1,
  title: '<b>Bold</b> title',
  components: [
    { type: 'heading', text: SCRIPT },
    { type: 'text', text: `Note: ${MARKUP}` },
    { type: 'keyValue', items: [{ label: '<i>Label</i>', value: LINK_MARKUP }] },
    { type: 'table', columns: ['<u>Column</u>'], rows: [[MARKUP]] },
    { type: 'badge', text: '<blink>badge</blink>' },
    { type: 'link', text: MARKUP, url: 'https://example.com/orders' },
    { type: 'button', text: '<b>Do it</b>', action: 'noop', confirm: SCRIPT },
  ],
};

/** A card no console may draw: a script link and an image from a data: URL. */
const UNSAFE_CARD = {
  version: 1,
  components: [
    { type: 'text', text: 'Open the order below' },
    { type: 'link', text: 'Open', url: 'javascript:alert(1)' },
    // <svg onload=alert(1)>
    { type: 'image', url: 'data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+', alt: 'Order' },
  ],
};

/** The Acme demo's Orders card, its actions and notes, and hostile cards, in Chromium. */
describe.runIf(chromiumAvailable())('cards beside a conversation, in Chromium', () => {
  let demo: DemoServer;
  let browser: Browser;
  let site: CardSite;
  let agent: Page;
  /** Every alert, confirm or prompt any page of the file opened: a card's script that ran. */
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  function watch(context: BrowserContext): void {
    context.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    context.on('weberror', (error) => pageErrors.push(error.error().message));
  }

  beforeAll(async () => {
    [demo, browser, site] = await Promise.all([
      startDemoServer(),
      launchChromium(),
      CardSite.start(),
    ]);
    agent = await signInToConsole(browser, demo.url, demo.admin);
    watch(agent.context());
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await demo?.close();
  });

  /** Signs in on Acme as one of its users, opens the widget and writes `text`. */
  async function visitorWrites(userName: RegExp, text: string): Promise<Page> {
    const context = await browser.newContext();
    watch(context);
    return acmeUserWrites(await context.newPage(), demo.url, userName, text);
  }

  async function openConversation(text: string): Promise<void> {
    await agent.goto(`${demo.url}/agent/`);
    await agent.getByText(text).first().click();
    await agent.getByRole('log', { name: 'Messages' }).getByText(text).waitFor();
  }

  const cardFrame = (name: string) => agent.getByRole('region', { name, exact: true });

  test('an agent cancels Alice’s order from the Orders card: an internal note, the card updated, nothing for Alice', async () => {
    const alice = await visitorWrites(/Alice Martin/, 'Please cancel my last order');
    await openConversation('Please cancel my last order');

    const orders = cardFrame('Orders');
    await orders.getByRole('heading', { name: 'Recent orders' }).waitFor();
    const order = orders.getByRole('region', { name: /^Order A-1001 · / });
    await order.getByText('paid', { exact: true }).waitFor();
    await order.getByText('€298.00').waitFor();

    await order.getByRole('textbox', { name: 'Reason for cancelling' }).fill('charged twice');
    await order.getByRole('button', { name: 'Cancel order' }).click();
    const confirm = agent.getByRole('dialog', { name: 'Cancel order?' });
    await confirm
      .getByText('Cancel order A-1001? The customer is not charged and it will not ship.')
      .waitFor();
    // A dangerous action starts on Cancel: Enter does not confirm it by reflex.
    expect(await agent.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await confirm.getByRole('button', { name: 'Cancel order', exact: true }).click();
    await confirm.waitFor({ state: 'detached' });

    const noteText = 'Order A-1001 cancelled — reason: charged twice';
    const timeline = agent.getByRole('log', { name: 'Messages' });
    const note = timeline.getByTestId('note');
    await note.getByText(noteText).waitFor();
    await note.getByText('Internal note · only agents see this').waitFor();
    await note.getByText(/Admin used a card/).waitFor();
    await orders.getByRole('status').getByText(noteText).waitFor();
    await order.getByText('cancelled', { exact: true }).waitFor();
    await order.getByText('Cancelled because').waitFor();
    expect(await order.getByText('paid', { exact: true }).count()).toBe(0);
    expect(await order.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
    // The conversation as the agent works in it: inbox, timeline with the note, profile, card.
    expect(await axeViolations(agent)).toEqual([]);

    const reply = 'Done: A-1001 is cancelled and you will not be charged.';
    const composer = agent.getByRole('textbox', { name: /Reply/ });
    await composer.fill(reply);
    await composer.press('Enter');
    await timeline.getByText(reply).waitFor();
    // The note is in the timeline once: the action's answer and its announcement are one message.
    expect(await note.count()).toBe(1);

    await alice.getByRole('log').getByText(reply).waitFor();
    const widget = alice.locator('palaver-widget');
    const secrets = /charged twice|cancelled — reason|Internal note/;
    expect(await widget.getByText(secrets).count()).toBe(0);
    // Nor does a fresh load of the chat, from the history the server keeps for her.
    await alice.reload();
    await alice.getByRole('button', { name: /Open support chat/ }).click();
    const log = alice.getByRole('log');
    await log.getByText(reply).waitFor();
    await log.getByText('Please cancel my last order').waitFor();
    expect(await widget.getByText(secrets).count()).toBe(0);
    // Acme's own page, outside the widget, shows what its card endpoint did.
    await alice
      .getByRole('row', { name: /A-1001/ })
      .getByText('cancelled (charged twice)')
      .waitFor();

    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    await alice.context().close();
  });

  test('a hostile card’s markup stays text and never runs; unsafe addresses make an error, not a card', async () => {
    for (const [name, card] of [
      ['Markup', MARKUP_CARD],
      ['Unsafe links', UNSAFE_CARD],
    ] as const) {
      await demo.services.cards.create(DEMO_PROJECT_ID, {
        name,
        url: site.on(name.toLowerCase().replace(' ', '-'), answer({ card })),
      });
    }
    const bob = await visitorWrites(/Bob Okafor/, 'What is this card?');
    await openConversation('What is this card?');

    const markup = cardFrame('Markup');
    await markup.getByRole('heading', { name: SCRIPT }).waitFor();
    await markup.getByText('<b>Bold</b> title').waitFor();
    await markup.getByText(`Note: ${MARKUP}`).waitFor();
    await markup.getByText('<i>Label</i>').waitFor();
    await markup.getByText(LINK_MARKUP).waitFor();
    await markup.getByRole('columnheader', { name: '<u>Column</u>' }).waitFor();
    await markup.getByRole('cell', { name: MARKUP }).waitFor();
    await markup.getByText('<blink>badge</blink>').waitFor();
    const link = markup.getByRole('link', { name: MARKUP });
    expect(await link.getAttribute('href')).toBe('https://example.com/orders');
    // Not one element the site's strings named made it into the page.
    expect(await markup.locator('.site-card b, .site-card i, .site-card u, blink').count()).toBe(0);
    expect(await agent.locator('img[src="x"], a[href^="javascript:" i]').count()).toBe(0);
    expect(await markup.locator('script').count()).toBe(0);

    await markup.getByRole('button', { name: '<b>Do it</b>' }).click();
    const confirm = agent.getByRole('dialog', { name: '<b>Do it</b>?' });
    await confirm.getByText(SCRIPT).waitFor();
    await confirm.getByRole('button', { name: 'Cancel', exact: true }).click();
    await confirm.waitFor({ state: 'detached' });

    const unsafe = cardFrame('Unsafe links');
    const error = unsafe.getByRole('alert');
    await error
      .getByText(/may only use https:, mailto:, tel:; this one uses "javascript:"/)
      .waitFor();
    await error.getByText(/may only use https:; this one uses "data:"/).waitFor();
    await error.getByText(/in the card log/).waitFor();
    expect(await unsafe.getByText('Open the order below').count()).toBe(0);
    expect(await agent.locator('img[src^="data:" i]').count()).toBe(0);

    // The other cards are untouched by a hostile one.
    await cardFrame('Orders').getByRole('heading', { name: 'Recent orders' }).waitFor();
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    await bob.context().close();
  });

  test('Settings → Cards and Settings → Webhooks pass axe’s WCAG 2.1 AA checks', async () => {
    const log = agent.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/cards/log'));
    await agent.goto(`${demo.url}/agent/settings/projects/${DEMO_PROJECT_ID}/cards`);
    await agent.getByRole('heading', { name: 'Acme', level: 1 }).waitFor();
    await agent.getByRole('cell', { name: /\/demo-api\/palaver\/cards\/orders$/ }).waitFor();
    // The card log as well: with the calls the tests above made, when they ran.
    const { items } = (await (await log).json()) as { items: unknown[] };
    await expect.poll(() => agent.getByTestId('card-log-entry').count()).toBe(items.length);
    expect(await axeViolations(agent)).toEqual([]);

    await agent.getByRole('button', { name: 'New card' }).click();
    const dialog = agent.getByRole('dialog', { name: 'New card' });
    await dialog.getByLabel('URL').waitFor();
    expect(await axeViolations(agent)).toEqual([]);
    await agent.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await agent
      .getByRole('navigation', { name: 'Project settings' })
      .getByRole('link', { name: 'Webhooks' })
      .click();
    // The demo's seeded subscription, with the deliveries of Acme's users pushed at start.
    const seeded = agent.getByRole('cell', { name: `${demo.url}/demo-api/palaver/webhooks` });
    await seeded.waitFor();
    expect(await axeViolations(agent)).toEqual([]);

    await agent.getByRole('button', { name: 'New webhook' }).click();
    const form = agent.getByRole('form', { name: 'New webhook' });
    await form.getByLabel('URL').fill('https://hooks.example.com/palaver');
    expect(await axeViolations(agent)).toEqual([]);
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'detached' });

    await agent.getByRole('button', { name: 'Deliveries' }).click();
    await agent.locator('.row-editing').getByText('contact.updated').first().waitFor();
    expect(await axeViolations(agent)).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
