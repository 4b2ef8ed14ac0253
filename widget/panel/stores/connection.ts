import { atom } from 'nanostores';
import type { SocketStatus } from '../../transport/index.js';

export const $connection = atom<SocketStatus>('connecting');
export const $agentsOnline = atom(0);
