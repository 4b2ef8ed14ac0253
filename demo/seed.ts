import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readOrCreateFile } from '../server/data-file.js';
import type { Services } from '../server/services.js';

export const DEMO_PROJECT_ID = 'demo';
/** The label of Acme's API key: the provenance agents see on the values Acme pushes. */
const ACME_KEY_LABEL = 'Acme server';

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
  const saved = readOrCreateFile(
    file,
    () =>
      JSON.stringify(
        {
          email: env.email ?? 'admin@palaver.local',
          password: randomBytes(12).toString('base64url'),
        },
        null,
        2,
      ) + '\n',
  );
  return { ...(JSON.parse(saved) as { email: string; password: string }), savedTo: file };
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
    /** The key Acme's server calls Palaver's public API with. */
    palaverApiKey: string;
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
  // Configure the user API once; later starts keep whatever an admin changed.
  await services.integrations.configureIfUnset(DEMO_PROJECT_ID, {
    enabled: true,
    style: 'path',
    url: `${options.publicUrl}/demo-api/users/{id}`,
    method: 'GET',
    headers: [{ name: 'Authorization', value: `Bearer ${options.apiSecret}` }],
    requireVerified: true,
  });
  await services.apiKeys.ensure(
    DEMO_PROJECT_ID,
    { label: ACME_KEY_LABEL, roles: ['contacts:read', 'contacts:write'] },
    options.palaverApiKey,
  );
  await services.agents.ensure({
    email: credentials.email,
    name: 'Admin',
    password: credentials.password,
    role: 'admin',
    projectIds: [DEMO_PROJECT_ID],
  });
  return credentials;
}
