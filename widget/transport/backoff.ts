/**
 * "Full jitter" exponential backoff: after an outage, thousands of widgets must not reconnect in
 * the same second.
 */
export function backoffDelay(attempt: number, baseMs = 500, capMs = 30_000): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}
