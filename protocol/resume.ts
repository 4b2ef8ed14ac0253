/**
 * The seq up to which a client holds every message of a conversation, counting from the first it
 * holds (`messages` ascending by seq): where its resume must start. Its own acknowledged messages
 * may lie beyond a gap of others' it has not received; resuming after those would skip the gap.
 * Zod-free: the widget ships it.
 */
export function seenThrough(messages: ReadonlyArray<{ seq: number }>): number {
  let seen = messages[0]?.seq ?? 0;
  for (const message of messages) {
    if (message.seq > seen + 1) break;
    seen = message.seq;
  }
  return seen;
}
