import { cleanup } from '@testing-library/preact';
import { vi } from 'vitest';
import { setCsrfToken } from '../api/request.js';
import { disconnectSocket } from '../realtime/socket.js';
import { resetSignedInStores } from '../stores/reset.js';
import { $router } from '../stores/route.js';
import { $session } from '../stores/session.js';

/** Stores are module singletons: every test starts from a signed-out, empty console. */
export function resetAll(): void {
  cleanup();
  disconnectSocket();
  resetSignedInStores();
  setCsrfToken(null);
  $session.set({ status: 'loading' });
  $router.open('/agent/', true);
  vi.useRealTimers();
  vi.unstubAllGlobals();
}
