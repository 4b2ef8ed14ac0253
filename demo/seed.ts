import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readOrCreateFile } from '../server/data-file.js';
import { WEBHOOK_EVENT_TYPES } from '../protocol/index.js';
import { AppError } from '../server/errors.js';
import type { Services } from '../server/services.js';
import { DuplicateError } from '../server/store/index.js';
import { verifyPalaverSignature } from './palaver-signature.js';
import type { AcmeSigningSecrets } from './signing-secrets.js';

export const DEMO_PROJECT_ID = 'demo';
/** The label of Acme's API key: the provenance agents see on the values Acme pushes. */
const ACME_KEY_LABEL = 'Acme server';
const ORDERS_CARD = 'Orders';

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

/**
 * Acme's Orders card, added once: later starts keep whatever an admin changed (or add it back
 * if it was deleted).
 */
async function seedOrdersCard(services: Services, publicUrl: string): Promise<void> {
  const cards = await services.cards.list(DEMO_PROJECT_ID);
  if (cards.some((card) => card.name === ORDERS_CARD)) return;
  try {
    await services.cards.create(DEMO_PROJECT_ID, {
      name: ORDERS_CARD,
      url: `${publicUrl}/demo-api/palaver/cards/orders`,
    });
  } catch (error) {
    // Instances starting together: another one added it first, which is all that was needed.
    if (!(error instanceof DuplicateError)) throw error;
  }
}

/**
 * A subscription of Acme's receiver to every event, added once like the Orders card. Two
 * instances starting together may both add it; Acme drops the second copy of each event by its
 * id, which is what a receiver must do anyway.
 */
async function seedWebhook(services: Services, publicUrl: string): Promise<void> {
  const url = `${publicUrl}/demo-api/palaver/webhooks`;
  const subscriptions = await services.webhooks.list(DEMO_PROJECT_ID);
  if (subscriptions.some((subscription) => subscription.url === url)) return;
  await services.webhooks.create(DEMO_PROJECT_ID, { url, events: [...WEBHOOK_EVENT_TYPES] });
}

/** Rotations lost to another instance rotating at the same moment, before giving up. */
const ROTATION_ATTEMPTS = 5;

/**
 * Gives Acme a copy of the demo project's signing secret unless one it holds still verifies
 * Palaver's signature. Palaver shows a secret only in a rotation's answer, so Acme gets one by
 * rotating, with no grace period: nobody else holds the secret it replaces (the project's first,
 * never shown, or one an admin rotated away from).
 */
async function giveAcmeTheSigningSecret(
  services: Services,
  acmeSecrets: AcmeSigningSecrets,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const probe = Buffer.from('{}');
    const header = await services.signing.sign(DEMO_PROJECT_ID, probe);
    if (acmeSecrets.all().some((secret) => verifyPalaverSignature(header, probe, secret).ok)) {
      return;
    }
    try {
      acmeSecrets.add((await services.signing.rotate(DEMO_PROJECT_ID, 0)).secret);
      return;
    } catch (error) {
      // Instances starting together: another one rotated, and has given Acme its secret.
      const raced = error instanceof AppError && error.status === 409;
      if (!raced || attempt === ROTATION_ATTEMPTS) throw error;
    }
  }
}

/**
 * Seeds the demo project, its admin agent, Acme's key, Orders card and webhook, and Acme's copy
 * of the signing secret, once; later starts change nothing of theirs.
 */
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
    /** Where Acme keeps its copy of the project's signing secret. */
    acmeSecrets: AcmeSigningSecrets;
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
  await seedOrdersCard(services, options.publicUrl);
  await seedWebhook(services, options.publicUrl);
  await giveAcmeTheSigningSecret(services, options.acmeSecrets);
  return credentials;
}
