import { join } from 'node:path';
import { ConfigError, loadConfig } from '../server/config.js';
import { projectRoot } from '../server/paths.js';
import { start } from '../server/start.js';
import { seedDemo, DEMO_PROJECT_ID, type AdminCredentials } from './seed.js';
import { demoSiteRouter } from './site.js';

/**
 * `npm start`: the Palaver server plus the Acme demo site at /demo/, with a seeded demo project
 * and admin, and the URLs and credentials printed.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  let credentials: AdminCredentials | undefined;
  const running = await start(config, {
    mounts: [
      {
        path: '/demo',
        router: demoSiteRouter(config.publicUrl, join(projectRoot(), 'demo', 'site')),
      },
    ],
    beforeListen: async (services) => {
      credentials = await seedDemo(services, {
        dataDir: config.dataDir,
        publicUrl: config.publicUrl,
        port: config.port,
        adminEmail: config.adminEmail,
        adminPassword: config.adminPassword,
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
