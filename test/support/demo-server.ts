import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAcme } from '../../demo/acme.js';
import { acmeSigningSecrets, demoPalaverApiKey } from '../../demo/identity.js';
import { DEMO_PROJECT_ID, seedDemo, type AdminCredentials } from '../../demo/seed.js';
import type { BulkIdentifyResult } from '../../protocol/index.js';
import { parseAllowList } from '../../server/outbound/index.js';
import { createApp, type PalaverApp } from '../../server/app.js';
import { createLogger } from '../../server/logger.js';
import { distDir } from '../../server/paths.js';
import { InProcessBus } from '../../server/realtime/index.js';
import { createServices, type Services } from '../../server/services.js';
import { freePort } from './ports.js';
import { openSqliteStore } from '../../server/store/index.js';

const DEMO_API_SECRET = 'demo-api-secret-for-tests';

export interface DemoServer {
  url: string;
  admin: AdminCredentials;
  /** The key Acme's server calls the public API with (contacts:read and contacts:write). */
  apiKey: string;
  /** Acme's copy of the demo project's signing secret, as the seed handed it over. */
  signingSecret: string;
  /** What Acme's push of its users answered on start. */
  pushed: BulkIdentifyResult;
  services: Services;
  palaver: PalaverApp;
  close(): Promise<void>;
}

/**
 * What `npm start` runs (server + Acme demo, seeded, Acme's users pushed), on a free port over a
 * temp database.
 */
export async function startDemoServer(): Promise<DemoServer> {
  const dir = mkdtempSync(join(tmpdir(), 'palaver-demo-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const store = await openSqliteStore(join(dir, 'palaver.sqlite'));
  const apiKey = demoPalaverApiKey(dir).key;
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
  const signingSecrets = acmeSigningSecrets(dir);
  const admin = await seedDemo(services, {
    dataDir: dir,
    publicUrl: url,
    port,
    adminEmail: 'admin@palaver.local',
    adminPassword: 'demo-admin-password',
    apiSecret: DEMO_API_SECRET,
    palaverApiKey: apiKey,
    acmeSecrets: signingSecrets,
  });
  const acme = createAcme({
    publicUrl: url,
    identitySecret: async () =>
      (await services.integrations.verificationSecrets(DEMO_PROJECT_ID))[0]!,
    userApiSecret: DEMO_API_SECRET,
    palaverApiKey: apiKey,
    signingSecrets,
  });
  const palaver = createApp(services, {
    publicUrl: url,
    trustProxy: false,
    loginRateLimit: 1000,
    distDir: distDir(),
    mounts: acme.mounts,
  });
  await new Promise<void>((resolve) => palaver.server.listen(port, '127.0.0.1', resolve));
  const pushed = await acme.pushUsers();
  return {
    url,
    admin,
    apiKey,
    signingSecret: signingSecrets.all()[0]!,
    pushed,
    services,
    palaver,
    async close() {
      await palaver.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
