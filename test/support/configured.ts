import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../server/config.js';
import { start, type Running } from '../../server/start.js';
import { ADMIN, PROJECT_ID, SITE_ORIGIN } from './server.js';

export interface ConfiguredServer {
  url: string;
  wsUrl: string;
  running: Running;
  close(): Promise<void>;
}

/**
 * A data directory and secret key that several in-process instances share, as instances of one
 * deployment share their database and key.
 */
export function sharedDeployment(): { env: Record<string, string>; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'palaver-configured-'));
  return {
    env: {
      PALAVER_DATA_DIR: dir,
      PALAVER_SECRET_KEY: randomBytes(32).toString('hex'),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Palaver as a deployment runs it, in this process: configuration read from environment
 * variables, then `start()`. Seeds the `acme` project and the admin when the database is new.
 */
export async function startConfigured(env: Record<string, string>): Promise<ConfiguredServer> {
  const running = await start(loadConfig(env), {
    async beforeListen(services) {
      if (await services.store.projects.get(PROJECT_ID)) return;
      await services.projects.create({
        id: PROJECT_ID,
        name: 'Acme',
        allowedOrigins: [SITE_ORIGIN],
      });
      await services.agents.create({
        ...ADMIN,
        name: 'Ada Admin',
        role: 'admin',
        projectIds: [PROJECT_ID],
      });
    },
  });
  const { port } = running.palaver.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    running,
    close: () => running.palaver.close(),
  };
}
