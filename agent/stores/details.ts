import { map } from 'nanostores';
import type { ContactProfile, Conversation, ConversationDetail } from '../../protocol/index.js';
import { fetchConversation, refreshContactProfile } from '../api/conversations.js';
import { ApiError } from '../api/request.js';

export interface DetailEntry {
  detail: ConversationDetail | null;
  loading: boolean;
  error: { code: string; message: string } | null;
}

/** Conversation header and visitor panel data, per opened conversation. */
export const $details = map<Record<string, DetailEntry>>({});

/**
 * Live frames can start several loads of one conversation in quick succession (a profile fetch
 * starts, then ends); answers may arrive out of order, so only the newest request may write.
 */
const latest = new Map<string, number>();
let counter = 0;

function claim(id: string): number {
  const ticket = ++counter;
  latest.set(id, ticket);
  return ticket;
}

export async function loadDetail(id: string): Promise<ConversationDetail | null> {
  const ticket = claim(id);
  const current = $details.get()[id];
  $details.setKey(id, { detail: current?.detail ?? null, loading: true, error: null });
  try {
    const detail = await fetchConversation(id);
    if (latest.get(id) !== ticket) return null;
    $details.setKey(id, { detail, loading: false, error: null });
    return detail;
  } catch (error) {
    if (latest.get(id) !== ticket) return null;
    const problem =
      error instanceof ApiError
        ? { code: error.code, message: error.message }
        : { code: 'internal', message: 'Could not load this conversation' };
    $details.setKey(id, {
      detail: $details.get()[id]?.detail ?? null,
      loading: false,
      error: problem,
    });
    return null;
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

function updateDetailContact(id: string, contact: ContactProfile): void {
  const entry = $details.get()[id];
  if (!entry?.detail) return;
  $details.setKey(id, { ...entry, loading: false, detail: { ...entry.detail, contact } });
}

/**
 * The Refresh button: asks the server to fetch the contact's profile now and waits for the
 * result. Throws the server's ApiError (e.g. 409 when the visitor is anonymous or the integration
 * is off) for the panel to show.
 */
export async function refreshProfile(id: string): Promise<ContactProfile> {
  const entry = $details.get()[id];
  if (entry?.detail?.contact) {
    updateDetailContact(id, { ...entry.detail.contact, pending: true });
  }
  try {
    const contact = await refreshContactProfile(id);
    // Anything loaded before this answer is older than it.
    claim(id);
    updateDetailContact(id, contact);
    return contact;
  } catch (error) {
    const now = $details.get()[id]?.detail?.contact;
    if (now?.pending && entry?.detail?.contact) {
      updateDetailContact(id, { ...now, pending: entry.detail.contact.pending });
    }
    throw error;
  }
}

export function isDetailLoaded(id: string): boolean {
  return Boolean($details.get()[id]?.detail);
}

export function resetDetails(): void {
  latest.clear();
  $details.set({});
}
