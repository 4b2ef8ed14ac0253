import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PROJECT_ID, seedDemo, type AdminCredentials } from '../../demo/seed.js';
import { demoUserApiRouter } from '../../demo/user-api.js';
import { parseAllowList } from '../../server/identity/index.js';
import { demoSiteRouter } from '../../demo/site.js';
import { createApp, type PalaverApp } from '../../server/app.js';
import { createLogger } from '../../server/logger.js';
import { distDir, projectRoot } from '../../server/paths.js';
import { InProcessBus } from '../../server/realtime/index.js';
import { createServices, type Services } from '../../server/services.js';
import { freePort } from './ports.js';
import { openSqliteStore } from '../../server/store/index.js';

const DEMO_API_SECRET = 'demo-api-secret-for-tests';

export interface DemoServer {
  url: string;
  admin: AdminCredentials;
  services: Services;
  palaver: PalaverApp;
  close(): Promise<void>;
}

/** What `npm start` runs (server + Acme demo, seeded), on a free port over a temp database. */
export async function startDemoServer(): Promise<DemoServer> {
  const dir = mkdtempSync(join(tmpdir(), 'palaver-demo-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const store = await openSqliteStore(join(dir, 'palaver.sqlite'));
  const services = createServices({
    secretKey: randomBytes(32),
    identity: {
      allowHttp: true,
      allowedPrivateHosts: parseAllowList('localhost,127.0.0.1,::1'),
    },
    store,
    bus: new InProcessBus(),
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
  });
  const admin = await seedDemo(services, {
    dataDir: dir,
    publicUrl: url,
    port,
    adminEmail: 'admin@palaver.local',
    adminPassword: 'demo-admin-password',
    apiSecret: DEMO_API_SECRET,
  });
  const identitySecret = async () =>
    (await services.integrations.verificationSecrets(DEMO_PROJECT_ID))[0]!;
  const palaver = createApp(services, {
    publicUrl: url,
    trustProxy: false,
    loginRateLimit: 1000,
    distDir: distDir(),
    mounts: [
      {
        path: '/demo',
        router: demoSiteRouter(url, join(projectRoot(), 'demo', 'site'), identitySecret),
      },
      { path: '/demo-api', router: demoUserApiRouter(DEMO_API_SECRET) },
    ],
  });
  await new Promise<void>((resolve) => palaver.server.listen(port, '127.0.0.1', resolve));
  return {
    url,
    admin,
    services,
    palaver,
    async close() {
      await palaver.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
