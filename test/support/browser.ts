import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether browser tests can run here. Without Chromium they skip with a loud message on a
 * developer machine, and fail under CI=true, where skipping would hide a broken product.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI) {
    throw new Error(
      `CI=true but Chromium is missing at ${CHROMIUM_PATH}: install it (apt-get install -y chromium); browser tests must not be skipped in CI`,
    );
  }
  console.warn(
    `\n!!! BROWSER TESTS SKIPPED: no Chromium at ${CHROMIUM_PATH}. Install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH). !!!\n`,
  );
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Records CSP violations and page errors from the start of every navigation. */
export async function watchPageProblems(
  page: Page,
): Promise<{ cspViolations: () => Promise<string[]>; errors: string[] }> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(() => {
    const list: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = list;
    document.addEventListener('securitypolicyviolation', (e) => {
      list.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return {
    errors,
    cspViolations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
  };
}

/** A new browser context signed in to the agent console at `baseUrl`, on its Inbox. */
export async function signInToConsole(
  browser: Browser,
  baseUrl: string,
  credentials: { email: string; password: string },
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/agent/`);
  await page.getByLabel('Email').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  return page;
}

/**
 * A visitor's first visit to the host page at `url`, with the chat panel open: the page, what
 * goes wrong on it, the message log and the composer.
 */
export async function openChat(browser: Browser, url: string) {
  const page = await (await browser.newContext()).newPage();
  const problems = await watchPageProblems(page);
  await page.goto(url);
  await page.getByRole('button', { name: /Open support chat/ }).click();
  await page.getByRole('dialog', { name: /Chat with/ }).waitFor();
  return {
    page,
    problems,
    log: page.getByRole('log', { name: 'Messages' }),
    composer: page.getByRole('textbox', { name: 'Message' }),
  };
}

/**
 * On `page`, signs in on the Acme demo at `demoUrl` as the user whose button matches `userName`,
 * opens the widget and writes `text`; resolves once the chat shows it.
 */
export async function acmeUserWrites(
  page: Page,
  demoUrl: string,
  userName: RegExp,
  text: string,
): Promise<Page> {
  await page.goto(`${demoUrl}/demo/`);
  await page.getByRole('button', { name: userName }).click();
  await page.getByRole('button', { name: /Open support chat/ }).click();
  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.fill(text);
  await composer.press('Enter');
  await page.getByRole('log').getByText(text).waitFor();
  return page;
}
