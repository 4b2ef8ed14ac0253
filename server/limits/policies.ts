/** The limits an operator may set (README, Configuration). */
export interface RateLimits {
  /** New visitor sessions per client address per 10 minutes. */
  sessionsPerAddress: number;
  /** Messages one visitor may send per minute, over all their sockets and instances. */
  messagesPerVisitor: number;
  /** Visitor messages per client address per minute: higher, as many people share an office NAT. */
  messagesPerAddress: number;
  /** Requests one API key may make per minute to the public API, over all instances. */
  requestsPerApiKey: number;
}

/**
 * A person types a message every second or two at the very most, so 30 a minute is never reached
 * by hand; an address may carry a whole office of visitors.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  sessionsPerAddress: 60,
  messagesPerVisitor: 30,
  messagesPerAddress: 300,
  // Ten a second on average: a sync of 60,000 contacts a minute in bulk requests of 100.
  requestsPerApiKey: 600,
};

export const DEFAULT_LOGIN_RATE_LIMIT = 10;

/** One counted thing: at most `points` in each window of `windowMs`. */
export interface LimitPolicy {
  /** Names the counter in storage and in the `RateLimit` headers. */
  name: string;
  points: number;
  windowMs: number;
}

const MINUTE = 60_000;

export function policies(signInFailures: number, limits: RateLimits) {
  return {
    signIn: { name: 'sign-in', points: signInFailures, windowMs: 15 * MINUTE },
    sessions: { name: 'sessions', points: limits.sessionsPerAddress, windowMs: 10 * MINUTE },
    visitorMessages: {
      name: 'visitor-messages',
      points: limits.messagesPerVisitor,
      windowMs: MINUTE,
    },
    addressMessages: {
      name: 'address-messages',
      points: limits.messagesPerAddress,
      windowMs: MINUTE,
    },
    apiKeys: { name: 'api-key', points: limits.requestsPerApiKey, windowMs: MINUTE },
  } satisfies Record<string, LimitPolicy>;
}
