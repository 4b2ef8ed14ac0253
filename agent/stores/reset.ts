import { resetAdminProjects } from './admin-projects.js';
import { resetAgents } from './agents.js';
import { resetApiKeys } from './api-keys.js';
import { resetContact } from './contact.js';
import { resetContacts } from './contacts.js';
import { resetDetails } from './details.js';
import { resetDrafts } from './drafts.js';
import { resetInbox } from './inbox.js';
import { resetIntegrations } from './integration.js';
import { resetIntegrationAlerts } from './integration-alerts.js';
import { resetOutbox } from './outbox.js';
import { resetProjects } from './projects.js';
import { resetSigningSecrets } from './signing-secrets.js';
import { resetThreads } from './threads.js';
import { resetTyping } from './typing.js';
import { resetWebhooks } from './webhooks.js';

/**
 * What a signed-in agent's console holds: conversations, replies, projects, the team, contacts. Signing out
 * forgets all of it (the next person at this browser must not see it) and so does every test, from
 * this one list. Only `session`, `route`, `connection` (the socket's) and `notifications` (this
 * browser's choices) outlive a sign-in; reset.test.ts fails when a store is in neither group.
 */
export const SIGNED_IN_RESETS = [
  resetInbox,
  resetThreads,
  resetDetails,
  resetOutbox,
  resetTyping,
  resetProjects,
  resetDrafts,
  resetIntegrations,
  resetIntegrationAlerts,
  resetAdminProjects,
  resetAgents,
  resetApiKeys,
  resetWebhooks,
  resetSigningSecrets,
  resetContacts,
  resetContact,
];

export function resetSignedInStores(): void {
  for (const reset of SIGNED_IN_RESETS) reset();
}
