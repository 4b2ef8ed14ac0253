/** Acme's own user accounts: the people who can "sign in" on the demo site. */
export interface AcmeUser {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  plan: string;
}

export const ACME_USERS: readonly AcmeUser[] = [
  { id: 'u_1001', firstName: 'Alice', lastName: 'Martin', email: 'alice@acme.test', plan: 'Pro' },
  { id: 'u_1002', firstName: 'Bob', lastName: 'Okafor', email: 'bob@acme.test', plan: 'Starter' },
  { id: 'u_1003', firstName: 'Chen', lastName: 'Wei', email: 'chen@acme.test', plan: 'Enterprise' },
];

export function findAcmeUser(id: string | undefined): AcmeUser | undefined {
  return ACME_USERS.find((user) => user.id === id);
}
