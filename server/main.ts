import { bootstrapAdmin } from './auth/index.js';
import { ConfigError, loadConfig } from './config.js';
import { start } from './start.js';

try {
  const config = loadConfig();
  await start(config, {
    beforeListen: (services) =>
      bootstrapAdmin(services.store, services.agents, services.logger, {
        email: config.adminEmail,
        password: config.adminPassword,
      }),
  });
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`palaver: ${error.message}`);
    process.exit(78);
  }
  throw error;
}
