import { atom } from 'nanostores';

export type ConnectionStatus = 'idle' | 'connecting' | 'online' | 'offline';

/** State of the live connection, for the status dot. */
export const $connection = atom<ConnectionStatus>('idle');

export function setConnection(status: ConnectionStatus): void {
  $connection.set(status);
}
