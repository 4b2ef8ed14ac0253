// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { playBlip } from '../lib/sound.js';
import { loadInbox } from '../stores/inbox.js';
import { refreshNotifications, setSound } from '../stores/notifications.js';
import { $route } from '../stores/route.js';
import { mockApi } from '../test-support/api-mock.js';
import { conversation, message } from '../test-support/fixtures.js';
import { resetAll } from '../test-support/reset.js';
import { handleFrame } from './dispatch.js';

vi.mock('../lib/sound.js', () => ({ playBlip: vi.fn() }));

const shown: string[] = [];
let clickLast: (() => void) | null = null;

class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static requestPermission = async () => 'granted' as const;
  onclick: (() => void) | null = null;
  constructor(title: string) {
    shown.push(title);
    clickLast = () => this.onclick?.();
  }
  close() {}
}

function hideTab(hidden: boolean) {
  Object.defineProperty(document, 'visibilityState', {
    value: hidden ? 'hidden' : 'visible',
    configurable: true,
  });
}

afterEach(() => {
  resetAll();
  hideTab(false);
  shown.length = 0;
  localStorage.clear();
  vi.mocked(playBlip).mockClear();
  refreshNotifications();
});

async function setup() {
  vi.stubGlobal('Notification', FakeNotification);
  refreshNotifications();
  mockApi({
    'GET /api/agent/conversations': {
      body: { items: [conversation({ visitorLabel: 'jane@acme.test' })], nextCursor: null },
    },
  });
  await loadInbox('open');
}

describe('new visitor messages while the tab is hidden', () => {
  it('play a sound and show a notification that opens the conversation', async () => {
    await setup();
    hideTab(true);

    handleFrame({ type: 'message', message: message({ seq: 2, body: 'Anyone?' }) });

    expect(playBlip).toHaveBeenCalledOnce();
    expect(shown).toEqual(['New message from jane@acme.test']);
    clickLast?.();
    expect($route.get()).toEqual({ name: 'conversation', id: 'conv_1' });
  });

  it('stay silent when the agent turned the sound off, and for agents’ own messages', async () => {
    await setup();
    hideTab(true);
    setSound(false);

    handleFrame({ type: 'message', message: message({ seq: 2 }) });
    handleFrame({
      type: 'message',
      message: message({
        seq: 3,
        author: { kind: 'agent', id: 'agt_2', name: 'Bob', avatarUrl: null },
      }),
    });

    expect(playBlip).not.toHaveBeenCalled();
    expect(shown).toEqual(['New message from jane@acme.test']);
  });

  it('do nothing while the agent is looking at the tab', async () => {
    await setup();

    handleFrame({ type: 'message', message: message({ seq: 2 }) });

    expect(playBlip).not.toHaveBeenCalled();
    expect(shown).toEqual([]);
  });
});
