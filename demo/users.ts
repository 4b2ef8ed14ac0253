/**
 * Acme's own user accounts: the people who can "sign in" on the demo site. Some are awkward on
 * purpose, so that every branch of the identity handoff can be tried by hand.
 */
export interface AcmeUser {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  plan: string;
  /** What Acme's user API does for this user. */
  behaviour: 'full' | 'unknown' | 'slow' | 'invalid' | 'hostile';
  note: string;
}

export const ACME_USERS: readonly AcmeUser[] = [
  {
    id: 'u_1001',
    firstName: 'Alice',
    lastName: 'Martin',
    email: 'alice@acme.test',
    plan: 'Pro',
    behaviour: 'full',
    note: 'Full profile with metadata',
  },
  {
    id: 'u_1002',
    firstName: 'Bob',
    lastName: 'Okafor',
    email: 'bob@acme.test',
    plan: 'Starter',
    behaviour: 'full',
    note: 'Full profile',
  },
  {
    id: 'u_2001',
    firstName: 'Dana',
    lastName: 'New',
    email: 'dana@acme.test',
    plan: 'Trial',
    behaviour: 'unknown',
    note: 'The user API answers 404',
  },
  {
    id: 'u_3001',
    firstName: 'Sam',
    lastName: 'Slow',
    email: 'sam@acme.test',
    plan: 'Pro',
    behaviour: 'slow',
    note: 'The user API takes 12 s (times out)',
  },
  {
    id: 'u_4001',
    firstName: 'Ivy',
    lastName: 'Invalid',
    email: 'ivy@acme.test',
    plan: 'Pro',
    behaviour: 'invalid',
    note: 'The user API answers with wrong types',
  },
  {
    id: 'u_5001',
    firstName: 'Mallory',
    lastName: 'Markup',
    email: 'mallory@acme.test',
    plan: 'Free',
    behaviour: 'hostile',
    note: 'Profile fields carry HTML and script',
  },
];

export function findAcmeUser(id: string | undefined): AcmeUser | undefined {
  return ACME_USERS.find((user) => user.id === id);
}
