import { ConfigError, loadConfig } from '../server/config.js';
import { start } from '../server/start.js';
import type { Services } from '../server/services.js';
import { createAcme } from './acme.js';
import {
  acmeSigningSecrets,
  allowDemoEndpoint,
  demoApiSecret,
  demoPalaverApiKey,
} from './identity.js';
import { seedDemo, DEMO_PROJECT_ID, type AdminCredentials } from './seed.js';

/**
 * `npm start`: the Palaver server plus the Acme demo site at /demo/, with a seeded demo project
 * and admin, Acme's users pushed in, and the URLs and credentials printed.
 */
async function main(): Promise<void> {
  allowDemoEndpoint(process.env);
  const config = loadConfig();
  const apiSecret = demoApiSecret(config.dataDir);
  const palaverKey = demoPalaverApiKey(config.dataDir);
  const signingSecrets = acmeSigningSecrets(config.dataDir);
  let credentials: AdminCredentials | undefined;
  let services: Services | undefined;
  const acme = createAcme({
    publicUrl: config.publicUrl,
    identitySecret: async () => {
      const [current] = await services!.integrations.verificationSecrets(DEMO_PROJECT_ID);
      return current!;
    },
    userApiSecret: apiSecret,
    palaverApiKey: palaverKey.key,
    signingSecrets,
  });
  const running = await start(config, {
    mounts: acme.mounts,
    beforeListen: async (ready) => {
      services = ready;
      credentials = await seedDemo(ready, {
        dataDir: config.dataDir,
        publicUrl: config.publicUrl,
        port: config.port,
        adminEmail: config.adminEmail,
        adminPassword: config.adminPassword,
        apiSecret,
        palaverApiKey: palaverKey.key,
        acmeSecrets: signingSecrets,
      });
    },
  });
  // Like a site's nightly sync: over HTTP, with the key. The demo runs on without it.
  let pushed: string;
  try {
    const { applied, failed } = await acme.pushUsers();
    pushed = `Acme's server pushed ${applied} users${failed ? ` (${failed} refused)` : ''}`;
  } catch (error) {
    running.logger.warn({ err: error }, 'Acme could not push its users to Palaver');
    pushed = 'Acme could not push its users: see the log';
  }
  const base = config.publicUrl;
  const lines = [
    '',
    '  Palaver is running',
    '',
    `  Demo site (Acme)   ${base}/demo/`,
    `  Agent console      ${base}/agent/`,
    `  Widget script      ${base}/widget/widget.js   (project "${DEMO_PROJECT_ID}")`,
    `  Acme user API      ${base}/demo-api/users/{id}   (the demo project's identity endpoint)`,
    `  Acme Orders card   ${base}/demo-api/palaver/cards/orders   (signed calls only)`,
    `  Acme webhooks      ${base}/demo/webhooks   (what Acme's receiver got)`,
    `  Acme's API key     saved in ${palaverKey.file}   (${pushed})`,
    '',
    `  Sign in as         ${credentials?.email ?? '?'}`,
    `  Password           ${credentials?.password ?? '?'}${credentials?.savedTo ? `   (saved in ${credentials.savedTo})` : ''}`,
    '',
    `  Database           ${config.databaseUrl}`,
    '',
  ];
  console.log(lines.join('\n'));
  // After the banner: whoever waits for this line (tests, scripts) finds the banner printed.
  running.logger.info({ demo: `${base}/demo/`, console: `${base}/agent/` }, 'demo ready');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`palaver: ${error.message}`);
    process.exit(78);
  }
  console.error(error);
  process.exit(1);
});
