import { cleanup } from '@testing-library/preact';
import { vi } from 'vitest';
import { setCsrfToken } from '../api/request.js';
import { disconnectSocket } from '../realtime/socket.js';
import { resetDetails } from '../stores/details.js';
import { resetInbox } from '../stores/inbox.js';
import { resetIntegrations } from '../stores/integration.js';
import { resetOutbox } from '../stores/outbox.js';
import { resetProjects } from '../stores/projects.js';
import { resetDrafts } from '../stores/drafts.js';
import { $router } from '../stores/route.js';
import { $session } from '../stores/session.js';
import { resetThreads } from '../stores/threads.js';
import { resetTyping } from '../stores/typing.js';

/** Stores are module singletons: every test starts from a signed-out, empty console. */
export function resetAll(): void {
  cleanup();
  disconnectSocket();
  resetInbox();
  resetThreads();
  resetDetails();
  resetOutbox();
  resetTyping();
  resetProjects();
  setCsrfToken(null);
  $session.set({ status: 'loading' });
  resetDrafts();
  resetIntegrations();
  $router.open('/agent/', true);
  vi.useRealTimers();
  vi.unstubAllGlobals();
}
