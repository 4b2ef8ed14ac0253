import { map } from 'nanostores';
import { seenThrough, type Message } from '../../protocol/index.js';
import { fetchMessages } from '../api/conversations.js';
import { ApiError } from '../api/request.js';

export interface Thread {
  /** Ascending by seq, no duplicates. */
  messages: Message[];
  hasMore: boolean;
  loading: boolean;
  loadingEarlier: boolean;
  error: string | null;
  /** Highest seq the visitor has read, for the "Seen" marker. */
  visitorReadSeq: number;
}

/** Message history per conversation the agent has opened in this tab. */
export const $threads = map<Record<string, Thread>>({});

const PAGE_SIZE = 50;

function patch(id: string, change: Partial<Thread>): void {
  const current = $threads.get()[id] ?? {
    messages: [],
    hasMore: false,
    loading: false,
    loadingEarlier: false,
    error: null,
    visitorReadSeq: 0,
  };
  $threads.setKey(id, { ...current, ...change });
}

function merge(a: Message[], b: Message[]): Message[] {
  const bySeq = new Map<number, Message>();
  for (const m of [...a, ...b]) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((x, y) => x.seq - y.seq);
}

const messageOf = (error: unknown) =>
  error instanceof ApiError ? error.message : 'Could not load messages';

export async function loadThread(id: string): Promise<void> {
  const thread = $threads.get()[id];
  if (thread?.loading) return;
  patch(id, { loading: true, error: null });
  try {
    const page = await fetchMessages(id, undefined, PAGE_SIZE);
    const latest = $threads.get()[id];
    patch(id, {
      // Messages that arrived live while the page was loading must survive.
      messages: merge(page.items, latest?.messages ?? []),
      hasMore: thread && thread.messages.length > 0 ? (latest?.hasMore ?? false) : page.hasMore,
      loading: false,
    });
  } catch (error) {
    patch(id, { loading: false, error: messageOf(error) });
  }
}

export async function loadEarlier(id: string): Promise<void> {
  const thread = $threads.get()[id];
  const first = thread?.messages[0];
  if (!thread || !first || thread.loadingEarlier || !thread.hasMore) return;
  patch(id, { loadingEarlier: true, error: null });
  try {
    const page = await fetchMessages(id, first.seq, PAGE_SIZE);
    patch(id, {
      messages: merge(page.items, $threads.get()[id]?.messages ?? []),
      hasMore: page.hasMore,
      loadingEarlier: false,
    });
  } catch (error) {
    patch(id, { loadingEarlier: false, error: messageOf(error) });
  }
}

/** Live or acknowledged message; ignored for threads not opened yet (they load when opened). */
export function addMessage(message: Message): void {
  const thread = $threads.get()[message.conversationId];
  if (!thread) return;
  patch(message.conversationId, { messages: merge(thread.messages, [message]) });
}

export function setVisitorRead(conversationId: string, seq: number): void {
  const thread = $threads.get()[conversationId];
  if (thread && seq > thread.visitorReadSeq) patch(conversationId, { visitorReadSeq: seq });
}

/** What the socket asks the server to replay after a reconnect. */
export function resumePoints(): { conversationId: string; afterSeq: number }[] {
  return Object.entries($threads.get())
    .filter(([, thread]) => !thread.loading || thread.messages.length > 0)
    .map(([conversationId, thread]) => ({ conversationId, afterSeq: seenThrough(thread.messages) }))
    .slice(-50);
}

export function resetThreads(): void {
  $threads.set({});
}
