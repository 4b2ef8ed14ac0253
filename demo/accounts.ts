import { ACME_USERS, type AcmePlan, type AcmeUser } from './users.js';

/**
 * Acme's user database: its accounts with the plans their users chose on the site. Kept in
 * memory: a restart starts over from the seeded plans, and Acme's push on start says so.
 */
export class AcmeAccounts {
  private readonly plans = new Map<string, AcmePlan>();

  all(): AcmeUser[] {
    return ACME_USERS.map((user) => this.current(user));
  }

  find(id: string | undefined): AcmeUser | undefined {
    const user = ACME_USERS.find((u) => u.id === id);
    return user && this.current(user);
  }

  /** The account after the change; undefined when there is no such account. */
  changePlan(id: string, plan: AcmePlan): AcmeUser | undefined {
    if (!this.find(id)) return undefined;
    this.plans.set(id, plan);
    return this.find(id);
  }

  private current(user: AcmeUser): AcmeUser {
    return { ...user, plan: this.plans.get(user.id) ?? user.plan };
  }
}
