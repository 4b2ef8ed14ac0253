import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Services } from '../server/services.js';

export const DEMO_PROJECT_ID = 'demo';

export interface AdminCredentials {
  email: string;
  password: string;
  /** Where a generated password was saved, so later starts can print it again. */
  savedTo: string | null;
}

/**
 * The admin the demo signs in with: from PALAVER_ADMIN_EMAIL/PASSWORD, else generated once and
 * kept in the data directory (readable by the owner only).
 */
function adminCredentials(
  dataDir: string,
  env: { email: string | undefined; password: string | undefined },
): AdminCredentials {
  if (env.email && env.password) return { email: env.email, password: env.password, savedTo: null };
  const file = join(dataDir, 'admin-credentials.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { email: string; password: string };
    return { ...saved, savedTo: file };
  }
  const generated = {
    email: env.email ?? 'admin@palaver.local',
    password: randomBytes(12).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(generated, null, 2) + '\n', { mode: 0o600 });
  return { ...generated, savedTo: file };
}

/** Seeds the demo project and the admin agent, once; later starts change nothing. */
export async function seedDemo(
  services: Services,
  options: {
    dataDir: string;
    publicUrl: string;
    port: number;
    adminEmail: string | undefined;
    adminPassword: string | undefined;
    /** The bearer secret Acme's user API expects. */
    apiSecret: string;
  },
): Promise<AdminCredentials> {
  const origins = new Set([
    new URL(options.publicUrl).origin,
    `http://localhost:${options.port}`,
    `http://127.0.0.1:${options.port}`,
  ]);
  await services.projects.ensure({
    id: DEMO_PROJECT_ID,
    name: 'Acme',
    allowedOrigins: [...origins],
    widget: { greeting: 'Hi there 👋 Ask us anything about your Acme account.' },
  });
  const credentials = adminCredentials(options.dataDir, {
    email: options.adminEmail,
    password: options.adminPassword,
  });
  const integration = await services.integrations.record(DEMO_PROJECT_ID);
  // Configure the user API once; later starts keep whatever an admin changed.
  if (!integration.url) {
    await services.integrations.update(DEMO_PROJECT_ID, {
      enabled: true,
      style: 'path',
      url: `${options.publicUrl}/demo-api/users/{id}`,
      method: 'GET',
      headers: [{ name: 'Authorization', value: `Bearer ${options.apiSecret}` }],
      requireVerified: true,
    });
  }
  await services.agents.ensure({
    email: credentials.email,
    name: 'Admin',
    password: credentials.password,
    role: 'admin',
    projectIds: [DEMO_PROJECT_ID],
  });
  return credentials;
}
