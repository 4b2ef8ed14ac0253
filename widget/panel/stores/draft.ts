import { atom } from 'nanostores';

/** What the visitor is typing; kept outside the composer so that closing the panel keeps it. */
export const $draft = atom('');
