import { Limiter } from './limiter.js';
import { policies, type RateLimits } from './policies.js';
import type { LimitStore } from './store.js';

/** The refusal of a visitor's message, with when to try again. */
export interface MessageRefusal {
  retryAfterMs: number;
}

/**
 * A visitor's messages count against the visitor (every socket, every instance) and against
 * the address they come from; either limit refuses.
 */
export class VisitorMessageLimit {
  constructor(
    private readonly perVisitor: Limiter,
    private readonly perAddress: Limiter,
  ) {}

  /** `addressKey`: the client's `addressKey()`, worked out once per socket. */
  async check(visitorId: string, addressKey: string): Promise<MessageRefusal | null> {
    const verdicts = await Promise.all([
      this.perVisitor.take(visitorId),
      this.perAddress.take(addressKey),
    ]);
    const refused = verdicts.filter((v) => !v.allowed);
    if (refused.length === 0) return null;
    return { retryAfterMs: Math.max(...refused.map((v) => v.resetMs)) };
  }
}

export interface Limits {
  /** Failed sign-ins per client address. */
  signIn: Limiter;
  /** New visitor sessions per client address. */
  sessions: Limiter;
  visitorMessages: VisitorMessageLimit;
  /** Public API requests per API key. */
  apiKeys: Limiter;
}

export function createLimits(
  store: LimitStore,
  settings: { loginRateLimit: number; rateLimits: RateLimits },
): Limits {
  const p = policies(settings.loginRateLimit, settings.rateLimits);
  const limiter = (policy: (typeof p)[keyof typeof p]) =>
    new Limiter(policy, store.counter(policy));
  return {
    signIn: limiter(p.signIn),
    sessions: limiter(p.sessions),
    visitorMessages: new VisitorMessageLimit(
      limiter(p.visitorMessages),
      limiter(p.addressMessages),
    ),
    apiKeys: limiter(p.apiKeys),
  };
}
