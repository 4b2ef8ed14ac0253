import { map } from 'nanostores';
import type { Conversation, ConversationStatus, Message } from '../../protocol/index.js';
import { fetchConversations } from '../api/conversations.js';
import { ApiError } from '../api/request.js';

export interface InboxList {
  items: Conversation[];
  nextCursor: string | null;
  loading: boolean;
  loaded: boolean;
  error: string | null;
}

export interface InboxState {
  /** The tab shown in the list pane (also beside an open conversation). */
  status: ConversationStatus;
  projectId: string | null;
  open: InboxList;
  closed: InboxList;
}

const emptyList = (): InboxList => ({
  items: [],
  nextCursor: null,
  loading: false,
  loaded: false,
  error: null,
});

export const $inbox = map<InboxState>({
  status: 'open',
  projectId: null,
  open: emptyList(),
  closed: emptyList(),
});

const PAGE_SIZE = 30;
/** Bumped whenever the filter changes, so answers to outdated requests are dropped. */
let generation = 0;

const byActivity = (a: Conversation, b: Conversation) =>
  b.lastActivityAt.localeCompare(a.lastActivityAt) || b.id.localeCompare(a.id);

function patchList(status: ConversationStatus, patch: Partial<InboxList>): void {
  $inbox.setKey(status, { ...$inbox.get()[status], ...patch });
}

export async function loadInbox(status: ConversationStatus, more = false): Promise<void> {
  const state = $inbox.get();
  const list = state[status];
  if (list.loading || (more && !list.nextCursor)) return;
  const mine = generation;
  patchList(status, { loading: true, error: null });
  try {
    const page = await fetchConversations({
      status,
      projectId: state.projectId,
      cursor: more ? list.nextCursor : null,
      limit: PAGE_SIZE,
    });
    if (mine !== generation) return;
    const current = $inbox.get()[status];
    const seen = new Set(page.items.map((c) => c.id));
    // Live frames may already have inserted some of these; the page is fresher for the rest.
    const kept = more ? current.items.filter((c) => !seen.has(c.id)) : [];
    patchList(status, {
      items: [...kept, ...page.items].sort(byActivity),
      nextCursor: page.nextCursor,
      loading: false,
      loaded: true,
    });
  } catch (error) {
    if (mine !== generation) return;
    patchList(status, {
      loading: false,
      error: error instanceof ApiError ? error.message : 'Could not load conversations',
    });
  }
}

export function setInboxStatus(status: ConversationStatus): void {
  $inbox.setKey('status', status);
  if (!$inbox.get()[status].loaded) void loadInbox(status);
}

export function setProjectFilter(projectId: string | null): void {
  if ($inbox.get().projectId === projectId) return;
  generation++;
  $inbox.set({ ...$inbox.get(), projectId, open: emptyList(), closed: emptyList() });
  void loadInbox($inbox.get().status);
}

export function findConversation(id: string): Conversation | undefined {
  const state = $inbox.get();
  return state.open.items.find((c) => c.id === id) ?? state.closed.items.find((c) => c.id === id);
}

/** A conversation frame: the server's view wins; it moves between tabs when its status changed. */
export function upsertConversation(conversation: Conversation): void {
  const state = $inbox.get();
  const matchesFilter = !state.projectId || state.projectId === conversation.projectId;
  for (const status of ['open', 'closed'] as const) {
    const list = state[status];
    const others = list.items.filter((c) => c.id !== conversation.id);
    const belongs = matchesFilter && conversation.status === status;
    if (!belongs && others.length === list.items.length) continue;
    patchList(status, {
      items: belongs ? [...others, conversation].sort(byActivity) : others,
    });
  }
}

/** A live message: refresh the row's preview and time at once, before the conversation frame. */
export function applyMessage(message: Message, countsAsUnread: boolean): void {
  const existing = findConversation(message.conversationId);
  if (!existing || existing.lastSeq >= message.seq) return;
  upsertConversation({
    ...existing,
    lastSeq: message.seq,
    lastActivityAt: message.createdAt,
    lastMessage: {
      seq: message.seq,
      authorKind: message.author.kind,
      body: message.body,
      createdAt: message.createdAt,
    },
    unreadForAgents: existing.unreadForAgents + (countsAsUnread ? 1 : 0),
  });
}

export function markConversationRead(conversationId: string, seq: number): void {
  const existing = findConversation(conversationId);
  if (existing && existing.unreadForAgents > 0 && seq >= existing.lastSeq) {
    upsertConversation({ ...existing, unreadForAgents: 0 });
  }
}

export function resetInbox(): void {
  generation++;
  $inbox.set({ status: 'open', projectId: null, open: emptyList(), closed: emptyList() });
}
