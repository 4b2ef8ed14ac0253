import { map } from 'nanostores';
import type { Conversation, ConversationDetail } from '../../protocol/index.js';
import { fetchConversation } from '../api/conversations.js';
import { ApiError } from '../api/request.js';

export interface DetailEntry {
  detail: ConversationDetail | null;
  loading: boolean;
  error: { code: string; message: string } | null;
}

/** Conversation header and visitor panel data, per opened conversation. */
export const $details = map<Record<string, DetailEntry>>({});

export async function loadDetail(id: string): Promise<void> {
  const current = $details.get()[id];
  $details.setKey(id, { detail: current?.detail ?? null, loading: true, error: null });
  try {
    const detail = await fetchConversation(id);
    $details.setKey(id, { detail, loading: false, error: null });
  } catch (error) {
    const problem =
      error instanceof ApiError
        ? { code: error.code, message: error.message }
        : { code: 'internal', message: 'Could not load this conversation' };
    $details.setKey(id, { detail: current?.detail ?? null, loading: false, error: problem });
  }
}

export function updateDetailConversation(conversation: Conversation): void {
  const entry = $details.get()[conversation.id];
  if (!entry?.detail) return;
  $details.setKey(conversation.id, {
    ...entry,
    detail: { ...entry.detail, conversation },
  });
}

export function isDetailLoaded(id: string): boolean {
  return Boolean($details.get()[id]?.detail);
}

export function resetDetails(): void {
  $details.set({});
}
