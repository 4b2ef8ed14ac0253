/** Idempotency key for a send: matches the protocol's /^[A-Za-z0-9_-]{1,64}$/. */
export function clientMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'a_' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
