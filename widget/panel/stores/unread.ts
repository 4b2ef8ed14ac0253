import { atom, computed } from 'nanostores';
import { $thread } from './thread.js';

/** Highest seq this visitor has read (on any of their tabs). */
export const $readSeq = atom(0);

export const $unread = computed([$thread, $readSeq], (thread, readSeq) => {
  const unseen = thread.messages.filter((m) => m.author.kind !== 'visitor' && m.seq > readSeq);
  return unseen.length;
});

export function markReadUpTo(seq: number): void {
  if (seq > $readSeq.get()) $readSeq.set(seq);
}
