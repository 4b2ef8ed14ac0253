import { atom } from 'nanostores';

/** Name of the agent typing right now, or null. */
export const $agentTyping = atom<string | null>(null);

// A lost "stopped typing" frame must not leave the indicator on for ever.
const EXPIRE_MS = 6000;
let expiry: ReturnType<typeof setTimeout> | undefined;

export function agentTyping(name: string | null): void {
  clearTimeout(expiry);
  $agentTyping.set(name);
  if (name) expiry = setTimeout(() => $agentTyping.set(null), EXPIRE_MS);
}
