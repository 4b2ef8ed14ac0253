/** Acme's plans, cheapest first. */
export const ACME_PLANS = ['Free', 'Trial', 'Starter', 'Pro'] as const;
export type AcmePlan = (typeof ACME_PLANS)[number];

/**
 * Acme's own user accounts: the people who can "sign in" on the demo site. Some are awkward on
 * purpose, so that every branch of the identity handoff can be tried by hand.
 */
export interface AcmeUser {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  /** The plan the account starts with; users change it on the site (accounts.ts). */
  plan: AcmePlan;
  company: string;
  /** When the account was made (YYYY-MM-DD). */
  signedUp: string;
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
    company: 'Martin & Co',
    signedUp: '2024-03-14',
    behaviour: 'full',
    note: 'Full profile with metadata',
  },
  {
    id: 'u_1002',
    firstName: 'Bob',
    lastName: 'Okafor',
    email: 'bob@acme.test',
    plan: 'Starter',
    company: 'Okafor Freight',
    signedUp: '2024-09-02',
    behaviour: 'full',
    note: 'Full profile; try “Upgrade to Pro”',
  },
  {
    id: 'u_2001',
    firstName: 'Dana',
    lastName: 'New',
    email: 'dana@acme.test',
    plan: 'Trial',
    company: 'New Ventures',
    signedUp: '2026-12-01',
    behaviour: 'unknown',
    note: 'The user API answers 404',
  },
  {
    id: 'u_3001',
    firstName: 'Sam',
    lastName: 'Slow',
    email: 'sam@acme.test',
    plan: 'Pro',
    company: 'Slow & Steady Ltd',
    signedUp: '2023-11-20',
    behaviour: 'slow',
    note: 'The user API takes 12 s (times out)',
  },
  {
    id: 'u_4001',
    firstName: 'Ivy',
    lastName: 'Invalid',
    email: 'ivy@acme.test',
    plan: 'Pro',
    company: 'Invalid Inc',
    signedUp: '2025-01-07',
    behaviour: 'invalid',
    note: 'The user API answers with wrong types',
  },
  {
    id: 'u_5001',
    firstName: 'Mallory',
    lastName: 'Markup',
    email: 'mallory@acme.test',
    plan: 'Free',
    company: 'Markup Media',
    signedUp: '2025-06-30',
    behaviour: 'hostile',
    note: 'Profile fields carry HTML and script',
  },
];
