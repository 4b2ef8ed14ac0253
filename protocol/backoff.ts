/** First reconnect waits up to this long; every failed attempt doubles it… */
const BASE_MS = 500;
/** …up to this ceiling. */
const CAP_MS = 30_000;

/**
 * How long a browser client (widget or console) waits before reconnect attempt `attempt` (0 for
 * the first): "full jitter" exponential backoff, a random time in [0, min(cap, base · 2^attempt)),
 * so that after an outage or a server restart thousands of clients spread their reconnects over
 * the whole window instead of arriving together. Zod-free: the widget ships it.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  return random() * Math.min(CAP_MS, BASE_MS * 2 ** attempt);
}
