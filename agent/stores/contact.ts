import { atom } from 'nanostores';
import type { ContactDetail, EraseResult, MergeResult } from '../../protocol/index.js';
import * as api from '../api/contacts.js';
import { ApiError } from '../api/request.js';

export interface ContactState {
  projectId: string | null;
  externalId: string | null;
  detail: ContactDetail | null;
  loading: boolean;
  error: { code: string; message: string } | null;
}

const initial = (): ContactState => ({
  projectId: null,
  externalId: null,
  detail: null,
  loading: false,
  error: null,
});

/** The contact page open now: the profile with its provenance, and its conversations. */
export const $contact = atom<ContactState>(initial());

/** Answers may arrive out of order (live frames reload); only the newest request writes. */
let ticket = 0;

export async function loadContact(projectId: string, externalId: string): Promise<void> {
  const mine = ++ticket;
  const current = $contact.get();
  const same = current.projectId === projectId && current.externalId === externalId;
  $contact.set({
    projectId,
    externalId,
    detail: same ? current.detail : null,
    loading: true,
    error: null,
  });
  try {
    const detail = await api.fetchContact(projectId, externalId);
    if (mine !== ticket) return;
    $contact.set({ ...$contact.get(), detail, loading: false });
  } catch (error) {
    if (mine !== ticket) return;
    const problem =
      error instanceof ApiError
        ? { code: error.code, message: error.message }
        : { code: 'internal', message: 'Could not load this contact' };
    // A contact that is gone (erased or merged away) has nothing left worth showing.
    const keep = problem.code === 'not_found' ? null : $contact.get().detail;
    $contact.set({ ...$contact.get(), detail: keep, loading: false, error: problem });
  }
}

/**
 * A live frame about these conversations (or this contact's id): re-read the open contact when
 * it shows one of them, so merges, erasures and new values elsewhere appear without a reload.
 */
export function reloadContactShowing(conversationIds: string[], externalId?: string): void {
  const { projectId, externalId: shown, detail } = $contact.get();
  if (!projectId || !shown || !detail) return;
  const listed = detail.conversations.some((c) => conversationIds.includes(c.id));
  if (listed || externalId === shown) void loadContact(projectId, shown);
}

/** Erases the contact for good; the open page forgets it. */
export async function eraseContact(
  projectId: string,
  externalId: string,
  eraseMessages: boolean,
): Promise<EraseResult> {
  const result = await api.eraseContact(projectId, externalId, eraseMessages);
  ticket++;
  $contact.set(initial());
  return result;
}

/** Merges `fromExternalId` into the contact, then re-reads it with its new conversations. */
export async function mergeIntoContact(
  projectId: string,
  externalId: string,
  fromExternalId: string,
): Promise<MergeResult> {
  const result = await api.mergeContacts(projectId, externalId, fromExternalId);
  await loadContact(projectId, externalId);
  return result;
}

export function resetContact(): void {
  ticket++;
  $contact.set(initial());
}
