import { atom } from 'nanostores';
import type { Contact, ContactSource } from '../../protocol/index.js';
import { fetchContacts } from '../api/contacts.js';
import { ApiError } from '../api/request.js';

export type IdentityFilter = 'verified' | 'claimed' | 'unseen';

export interface ContactFilters {
  projectId: string | null;
  /** Words matched server-side against name, email, phone, id and property values. */
  q: string;
  identity: IdentityFilter | null;
  source: ContactSource | null;
}

export interface ContactsState extends ContactFilters {
  items: Contact[];
  nextCursor: string | null;
  loading: boolean;
  loaded: boolean;
  error: string | null;
  /** What the last action did (e.g. a contact was deleted), shown above the list once. */
  notice: string | null;
}

const initial = (): ContactsState => ({
  projectId: null,
  q: '',
  identity: null,
  source: null,
  items: [],
  nextCursor: null,
  loading: false,
  loaded: false,
  error: null,
  notice: null,
});

/** The Contacts page: one project's contacts, filtered, a page at a time. */
export const $contacts = atom<ContactsState>(initial());

const PAGE_SIZE = 50;
/** Bumped whenever the filters change, so answers to outdated requests are dropped. */
let generation = 0;

function patch(change: Partial<ContactsState>): void {
  $contacts.set({ ...$contacts.get(), ...change });
}

export async function loadContacts(more = false): Promise<void> {
  const state = $contacts.get();
  if (!state.projectId || (more && (!state.nextCursor || state.loading))) return;
  const mine = ++generation;
  patch({ loading: true, error: null });
  try {
    const page = await fetchContacts({
      projectId: state.projectId,
      q: state.q.trim(),
      identity: state.identity,
      source: state.source,
      cursor: more ? state.nextCursor : null,
      limit: PAGE_SIZE,
    });
    if (mine !== generation) return;
    const items = more ? $contacts.get().items : [];
    const seen = new Set(items.map((c) => c.externalId));
    patch({
      items: [...items, ...page.data.filter((c) => !seen.has(c.externalId))],
      nextCursor: page.nextCursor,
      loading: false,
      loaded: true,
    });
  } catch (error) {
    if (mine !== generation) return;
    patch({
      loading: false,
      error: error instanceof ApiError ? error.message : 'Could not load contacts',
    });
  }
}

/** Changes the project, search or filters and loads the first page for them. */
export function setContactFilters(change: Partial<ContactFilters>): void {
  const state = $contacts.get();
  const next = { ...state, ...change };
  if (
    next.projectId === state.projectId &&
    next.q === state.q &&
    next.identity === state.identity &&
    next.source === state.source &&
    state.loaded
  ) {
    return;
  }
  generation++;
  $contacts.set({ ...next, items: [], nextCursor: null, loaded: false, loading: false });
  void loadContacts();
}

export function setContactsNotice(notice: string | null): void {
  patch({ notice });
}

export function resetContacts(): void {
  generation++;
  $contacts.set(initial());
}
