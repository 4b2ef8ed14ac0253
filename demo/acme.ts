import { join } from 'node:path';
import type { Router } from 'express';
import type { BulkIdentifyResult } from '../protocol/index.js';
import { projectRoot } from '../server/paths.js';
import { AcmeAccounts } from './accounts.js';
import { ordersCardRouter } from './card-api.js';
import { AcmeOrders } from './orders.js';
import { PalaverClient } from './palaver-client.js';
import { demoSiteRouter } from './site.js';
import type { AcmeSigningSecrets } from './signing-secrets.js';
import { pushAllUsers } from './sync.js';
import { demoUserApiRouter } from './user-api.js';
import { WebhookLog, webhookReceiverRouter } from './webhooks.js';

export interface Acme {
  /**
   * The site at /demo and its customer API at /demo-api (the user API, and at /demo-api/palaver
   * the Orders card and the webhook receiver), mounted on Palaver's server.
   */
  mounts: Array<{ path: string; router: Router }>;
  /** Acme's server pushing its users into Palaver, as it does on start. */
  pushUsers(): Promise<BulkIdentifyResult>;
}

/**
 * Acme, the demo's company: its accounts, its website and user API, and its server's client of
 * Palaver's public API (calling `publicUrl` over HTTP with its key).
 */
export function createAcme(options: {
  publicUrl: string;
  identitySecret: () => Promise<string>;
  /** The bearer secret Acme's user API expects from Palaver. */
  userApiSecret: string;
  /** The key Acme's server calls Palaver's public API with. */
  palaverApiKey: string;
  /** Acme's copies of the project's signing secret, which Palaver's requests must be signed with. */
  signingSecrets: AcmeSigningSecrets;
}): Acme {
  const accounts = new AcmeAccounts();
  const palaver = new PalaverClient(options.publicUrl, options.palaverApiKey);
  const webhooks = new WebhookLog();
  const orders = new AcmeOrders();
  const { signingSecrets } = options;
  const site = demoSiteRouter({
    publicUrl: options.publicUrl,
    assetsDir: join(projectRoot(), 'demo', 'site'),
    identitySecret: options.identitySecret,
    accounts,
    orders,
    palaver,
    webhooks,
  });
  return {
    mounts: [
      { path: '/demo', router: site },
      { path: '/demo-api', router: demoUserApiRouter(options.userApiSecret, accounts, orders) },
      {
        path: '/demo-api/palaver',
        router: ordersCardRouter({ orders, signingSecrets }),
      },
      {
        path: '/demo-api/palaver',
        router: webhookReceiverRouter({ log: webhooks, signingSecrets }),
      },
    ],
    pushUsers: () => pushAllUsers(palaver, accounts),
  };
}
