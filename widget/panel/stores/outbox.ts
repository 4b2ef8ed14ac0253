import { atom } from 'nanostores';

export interface Pending {
  clientMessageId: string;
  body: string;
  state: 'sending' | 'failed';
  error?: string;
}

/** Messages typed but not yet acknowledged by the server, in the order they were written. */
export const $outbox = atom<Pending[]>([]);

export function enqueue(pending: Pending): void {
  $outbox.set([...$outbox.get(), pending]);
}

export function settle(clientMessageId: string): void {
  $outbox.set($outbox.get().filter((p) => p.clientMessageId !== clientMessageId));
}

export function mark(clientMessageId: string, state: Pending['state'], error?: string): void {
  $outbox.set(
    $outbox
      .get()
      .map((p) =>
        p.clientMessageId === clientMessageId
          ? { clientMessageId, body: p.body, state, ...(error ? { error } : {}) }
          : p,
      ),
  );
}
