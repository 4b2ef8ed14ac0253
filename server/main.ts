import { ConfigError, loadConfig } from './config.js';
import { start } from './start.js';

try {
  await start(loadConfig());
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`palaver: ${error.message}`);
    process.exit(78);
  }
  throw error;
}
