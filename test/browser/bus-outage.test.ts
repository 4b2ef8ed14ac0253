import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp, type PalaverApp } from '../../server/app.js';
import { parseAllowList } from '../../server/outbound/index.js';
import { createLogger } from '../../server/logger.js';
import { distDir } from '../../server/paths.js';
import { RedisBus } from '../../server/realtime/redis-bus.js';
import { createServices, type Services } from '../../server/services.js';
import { openSqliteStore, type Store } from '../../server/store/index.js';
import {
  chromiumAvailable,
  launchChromium,
  openChat,
  signInToConsole,
} from '../support/browser.js';
import { startHostileSite, type HostSite } from '../support/host-site.js';
import { DedicatedRedis } from '../support/outage.js';
import { redisUrlForTests } from '../support/services.js';

const run = chromiumAvailable() && (await redisUrlForTests()) !== null;
const ADMIN = { email: 'admin@outage.test', password: 'outage-password-1' };
const PROJECT = 'outage';

interface Instance {
  url: string;
  services: Services;
  palaver: PalaverApp;
}

/** One Palaver instance over the shared store, with its own connection to the shared Redis. */
async function instance(store: Store, redisUrl: string, prefix: string): Promise<Instance> {
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const services = createServices({
    store,
    bus: new RedisBus(redisUrl, logger, prefix),
    logger,
    secretKey: randomBytes(32),
    identity: { allowHttp: true, allowedPrivateHosts: parseAllowList('') },
  });
  const palaver = createApp(services, {
    publicUrl: 'http://palaver.test',
    trustProxy: false,
    loginRateLimit: 1000,
    distDir: distDir(),
  });
  await new Promise<void>((resolve) => palaver.server.listen(0, '127.0.0.1', resolve));
  const { port } = palaver.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, services, palaver };
}

/** Which of `texts` a message log shows, in the order it shows them. */
async function shown(log: Locator, texts: string[]): Promise<string[]> {
  const text = await log.innerText();
  return texts.filter((t) => text.includes(t)).sort((x, y) => text.indexOf(x) - text.indexOf(y));
}

describe.runIf(run)('both sides write while Redis is down', () => {
  const redis = new DedicatedRedis();
  const dir = mkdtempSync(join(tmpdir(), 'palaver-outage-'));
  let store: Store;
  let a: Instance;
  let b: Instance;
  let host: HostSite;
  let browser: Browser;

  beforeAll(async () => {
    await redis.start();
    store = await openSqliteStore(join(dir, 'palaver.sqlite'));
    const prefix = `palaver-outage-${randomBytes(4).toString('hex')}:`;
    [a, b, browser] = await Promise.all([
      instance(store, redis.url, prefix),
      instance(store, redis.url, prefix),
      launchChromium(),
    ]);
    host = await startHostileSite(a.url, PROJECT);
    await a.services.projects.create({
      id: PROJECT,
      name: 'Outage',
      allowedOrigins: [host.origin],
    });
    await a.services.agents.create({ ...ADMIN, name: 'Ada', role: 'admin', projectIds: [PROJECT] });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    // Both instances share the store: the second close finds it closed already.
    await a?.palaver.close();
    await b?.palaver.close().catch(() => undefined);
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const healthy = () => [a, b].every((i) => (i.services.bus as RedisBus).healthy());

  const signIn = () => signInToConsole(browser, b.url, ADMIN);

  test('after the outage, the widget and the console each show every message, in order, without a reload', async () => {
    const {
      page: visitor,
      problems,
      log: widgetLog,
      composer,
    } = await openChat(browser, host.origin);
    await composer.fill('v1 my parcel never came');
    await composer.press('Enter');
    await widgetLog.getByText('v1 my parcel never came').waitFor();
    await expect.poll(() => visitor.getByText('Sending…').count()).toBe(0);

    const agent = await signIn();
    await agent.getByText('v1 my parcel never came').first().click();
    const consoleLog = agent.getByRole('log');
    await consoleLog.getByText('v1 my parcel never came').waitFor();
    const reply = agent.getByRole('textbox', { name: /Reply/ });

    await expect.poll(healthy).toBe(true);
    await redis.stop();
    await expect.poll(() => [a, b].some((i) => (i.services.bus as RedisBus).healthy())).toBe(false);

    // Interleaved, so that each side's own acknowledged message lies beyond the other's.
    await reply.fill('a2 let me look');
    await reply.press('Enter');
    await consoleLog.getByText('a2 let me look').waitFor();
    await expect.poll(() => agent.getByText(/Sending/).count()).toBe(0);
    await composer.fill('v3 order 1042');
    await composer.press('Enter');
    await expect.poll(() => visitor.getByText('Sending…').count()).toBe(0);
    await reply.fill('a4 found it, refunding now');
    await reply.press('Enter');
    await expect.poll(() => agent.getByText(/Sending/).count()).toBe(0);

    await redis.start();
    await expect.poll(healthy, { timeout: 15_000 }).toBe(true);

    const all = [
      'v1 my parcel never came',
      'a2 let me look',
      'v3 order 1042',
      'a4 found it, refunding now',
    ];
    await expect.poll(() => shown(widgetLog, all), { timeout: 20_000 }).toEqual(all);
    await expect.poll(() => shown(consoleLog, all), { timeout: 20_000 }).toEqual(all);
    expect(problems.errors).toEqual([]);
  }, 90_000);
});
