import { atom } from 'nanostores';
import { clientMessageId } from '../lib/ids.js';

export interface PendingMessage {
  clientMessageId: string;
  conversationId: string;
  body: string;
  state: 'sending' | 'failed';
  error: string | null;
  createdAt: string;
}

/** Sent messages the server has not acknowledged yet; re-sent with the same id after reconnects. */
export const $outbox = atom<PendingMessage[]>([]);

export function enqueue(conversationId: string, body: string): PendingMessage {
  const pending: PendingMessage = {
    clientMessageId: clientMessageId(),
    conversationId,
    body,
    state: 'sending',
    error: null,
    createdAt: new Date().toISOString(),
  };
  $outbox.set([...$outbox.get(), pending]);
  return pending;
}

function update(id: string, change: Partial<PendingMessage>): void {
  $outbox.set($outbox.get().map((p) => (p.clientMessageId === id ? { ...p, ...change } : p)));
}

export function markFailed(id: string, error: string): void {
  update(id, { state: 'failed', error });
}

export function markSending(id: string): void {
  update(id, { state: 'sending', error: null });
}

export function acknowledge(id: string): void {
  $outbox.set($outbox.get().filter((p) => p.clientMessageId !== id));
}

export function findPending(id: string): PendingMessage | undefined {
  return $outbox.get().find((p) => p.clientMessageId === id);
}

export function resetOutbox(): void {
  $outbox.set([]);
}
