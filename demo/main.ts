import { join } from 'node:path';
import { ConfigError, loadConfig } from '../server/config.js';
import { projectRoot } from '../server/paths.js';
import { start } from '../server/start.js';
import type { Services } from '../server/services.js';
import { allowDemoEndpoint, demoApiSecret } from './identity.js';
import { seedDemo, DEMO_PROJECT_ID, type AdminCredentials } from './seed.js';
import { demoUserApiRouter } from './user-api.js';
import { demoSiteRouter } from './site.js';

/**
 * `npm start`: the Palaver server plus the Acme demo site at /demo/, with a seeded demo project
 * and admin, and the URLs and credentials printed.
 */
async function main(): Promise<void> {
  allowDemoEndpoint(process.env);
  const config = loadConfig();
  const apiSecret = demoApiSecret(config.dataDir);
  let credentials: AdminCredentials | undefined;
  let services: Services | undefined;
  const identitySecret = async () => {
    const [current] = await services!.integrations.verificationSecrets(DEMO_PROJECT_ID);
    return current!;
  };
  const running = await start(config, {
    mounts: [
      {
        path: '/demo',
        router: demoSiteRouter(
          config.publicUrl,
          join(projectRoot(), 'demo', 'site'),
          identitySecret,
        ),
      },
      { path: '/demo-api', router: demoUserApiRouter(apiSecret) },
    ],
    beforeListen: async (ready) => {
      services = ready;
      credentials = await seedDemo(ready, {
        dataDir: config.dataDir,
        publicUrl: config.publicUrl,
        port: config.port,
        adminEmail: config.adminEmail,
        adminPassword: config.adminPassword,
        apiSecret,
      });
    },
  });
  const base = config.publicUrl;
  const lines = [
    '',
    '  Palaver is running',
    '',
    `  Demo site (Acme)   ${base}/demo/`,
    `  Agent console      ${base}/agent/`,
    `  Widget script      ${base}/widget/widget.js   (project "${DEMO_PROJECT_ID}")`,
    `  Acme user API      ${base}/demo-api/users/{id}   (the demo project's identity endpoint)`,
    '',
    `  Sign in as         ${credentials?.email ?? '?'}`,
    `  Password           ${credentials?.password ?? '?'}${credentials?.savedTo ? `   (saved in ${credentials.savedTo})` : ''}`,
    '',
    `  Database           ${config.databaseUrl}`,
    '',
  ];
  running.logger.info({ demo: `${base}/demo/`, console: `${base}/agent/` }, 'demo ready');
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`palaver: ${error.message}`);
    process.exit(78);
  }
  console.error(error);
  process.exit(1);
});
