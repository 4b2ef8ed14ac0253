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
 * Live frames can start several loads of one conversation in quick succession; answers may
 * arrive out of order, so only the newest request may write.
 */
const latest = new Map<string, number>();
let counter = 0;

/** The last profile frame per conversation: newer than any load that started before it. */
interface AppliedProfile {
  ticket: number;
  contact: ContactProfile;
  visitorLabel: string;
}
const profiles = new Map<string, AppliedProfile>();

function withProfile(detail: ConversationDetail, applied: AppliedProfile): ConversationDetail {
  return {
    ...detail,
    contact: applied.contact,
    conversation: { ...detail.conversation, visitorLabel: applied.visitorLabel },
  };
}

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
    const answer = await fetchConversation(id);
    if (latest.get(id) !== ticket) return null;
    const applied = profiles.get(id);
    const detail = applied && applied.ticket > ticket ? withProfile(answer, applied) : answer;
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

/**
 * A profile frame: the contact and the visitor's label as they are now, for every conversation
 * of the visitor this console shows. Applied as is; no request.
 */
export function applyProfile(
  conversationIds: string[],
  contact: ContactProfile,
  visitorLabel: string,
): Conversation[] {
  const updated: Conversation[] = [];
  for (const id of conversationIds) {
    const entry = $details.get()[id];
    if (!entry) continue;
    const applied = { ticket: ++counter, contact, visitorLabel };
    profiles.set(id, applied);
    if (!entry.detail) continue;
    const detail = withProfile(entry.detail, applied);
    $details.setKey(id, { ...entry, detail });
    updated.push(detail.conversation);
  }
  return updated;
}

/**
 * A profile_fetching frame: the site is being asked about the contact of these conversations, so
 * their panels say "Fetching profile…" until the profile frame brings the result. No request.
 */
export function markProfileFetching(conversationIds: string[]): void {
  for (const id of conversationIds) {
    const entry = $details.get()[id];
    const detail = entry?.detail;
    if (!entry || !detail?.contact || detail.contact.pending) continue;
    const applied = {
      ticket: ++counter,
      contact: { ...detail.contact, pending: true },
      visitorLabel: detail.conversation.visitorLabel,
    };
    profiles.set(id, applied);
    $details.setKey(id, { ...entry, detail: withProfile(detail, applied) });
  }
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
  profiles.clear();
  $details.set({});
}
