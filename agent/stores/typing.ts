import { map } from 'nanostores';

/** Conversations whose visitor is typing right now. */
export const $visitorTyping = map<Record<string, boolean>>({});

/** A lost "stopped typing" frame must not leave the indicator on forever. */
const EXPIRY_MS = 8000;
const timers = new Map<string, ReturnType<typeof setTimeout>>();

export function setVisitorTyping(conversationId: string, isTyping: boolean): void {
  clearTimeout(timers.get(conversationId));
  timers.delete(conversationId);
  $visitorTyping.setKey(conversationId, isTyping);
  if (isTyping) {
    timers.set(
      conversationId,
      setTimeout(() => setVisitorTyping(conversationId, false), EXPIRY_MS),
    );
  }
}

export function resetTyping(): void {
  for (const timer of timers.values()) clearTimeout(timer);
  timers.clear();
  $visitorTyping.set({});
}
