import { describe } from 'vitest';
import { describeAgentsContract } from './agents.contract.js';
import { describeApiKeysContract } from './api-keys.contract.js';
import { describeCardsContract } from './cards.contract.js';
import { describeContactsContract } from './contacts.contract.js';
import { useStoreFixture } from './contract-fixture.js';
import { describeConversationsContract } from './conversations.contract.js';
import { describeIdentityContract } from './identity.contract.js';
import type { Store } from './port.js';
import { describeProjectsContract } from './projects.contract.js';
import { describeSigningSecretsContract } from './signing-secrets.contract.js';
import { describeVisitorsContract } from './visitors.contract.js';
import { describeWebhooksContract } from './webhooks.contract.js';

/**
 * The behaviour every Store adapter must have, one suite per aggregate. Each adapter's test file
 * calls this with a factory that opens an empty store.
 */
export function describeStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`${name} store`, () => {
    const fixture = useStoreFixture(open);
    describeProjectsContract(fixture);
    describeAgentsContract(fixture);
    describeVisitorsContract(fixture);
    describeConversationsContract(fixture);
    describeIdentityContract(fixture);
    describeApiKeysContract(fixture);
    describeSigningSecretsContract(fixture);
    describeContactsContract(fixture);
    describeCardsContract(fixture);
    describeWebhooksContract(fixture);
  });
}
