import type { AcmeAccounts } from './accounts.js';
import type { ContactPush, PalaverClient } from './palaver-client.js';
import type { AcmeUser } from './users.js';

/** The traits Acme keeps on a user, under the names its user API answers them with too. */
function traitsOf(user: AcmeUser) {
  return { plan: user.plan, company: user.company, signed_up: user.signedUp };
}

function contactOf(user: AcmeUser): ContactPush {
  return {
    externalId: user.id,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    properties: traitsOf(user),
  };
}

/**
 * What Acme's server does on start: its users into Palaver in one bulk call. Dana is left out:
 * she stands for a user Acme knows nothing about yet (its user API answers 404 for her too).
 */
export function pushAllUsers(palaver: PalaverClient, accounts: AcmeAccounts) {
  const known = accounts.all().filter((user) => user.behaviour !== 'unknown');
  return palaver.bulkIdentify(known.map(contactOf));
}

/** A user changed plan on the site: only the trait that changed is sent. */
export function pushPlan(palaver: PalaverClient, user: AcmeUser) {
  return palaver.identify(user.id, { properties: { plan: user.plan } });
}
