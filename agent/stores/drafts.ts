/**
 * Unsent reply text per conversation, so switching threads does not lose a half-written reply.
 * Kept out of any reactive store on purpose: only the composer reads it, when a thread opens.
 */
const drafts = new Map<string, string>();

export function draftOf(conversationId: string): string {
  return drafts.get(conversationId) ?? '';
}

export function saveDraft(conversationId: string, text: string): void {
  if (text) drafts.set(conversationId, text);
  else drafts.delete(conversationId);
}

export function resetDrafts(): void {
  drafts.clear();
}
