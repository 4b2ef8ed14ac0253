// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentServerFrame } from '../../protocol/index.js';
import { playBlip } from '../lib/sound.js';
import { $details, loadDetail } from '../stores/details.js';
import { findConversation, loadInbox } from '../stores/inbox.js';
import { refreshNotifications, setSound } from '../stores/notifications.js';
import { $route } from '../stores/route.js';
import { mockApi } from '../test-support/api-mock.js';
import { contact, conversation, detail, janeProfile, message } from '../test-support/fixtures.js';
import { resetAll } from '../test-support/reset.js';
import { handleFrame } from './dispatch.js';

vi.mock('../lib/sound.js', () => ({ playBlip: vi.fn() }));

const shown: string[] = [];
let clickLast: (() => void) | null = null;

class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static requestPermission = () => Promise.resolve('granted' as const);
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

describe('a profile frame', () => {
  const jane = conversation({
    identity: 'verified',
    externalUserId: 'jane@acme.test',
    visitorLabel: 'jane@acme.test',
  });
  const fetched = contact({
    externalUserId: 'jane@acme.test',
    identity: 'verified',
    profile: janeProfile(),
    fetchedAt: '2030-01-01T10:00:00.000Z',
    httpStatus: 200,
    latencyMs: 42,
  });

  const profileFrame: AgentServerFrame = {
    type: 'profile',
    visitorId: 'vis_1',
    conversationIds: ['conv_1'],
    contact: fetched,
    visitorLabel: 'Jane Doe',
  };

  it('updates the shown profile, header and inbox row without asking the server again', async () => {
    const calls = mockApi({
      'GET /api/agent/conversations': { body: { items: [jane], nextCursor: null } },
      'GET /api/agent/conversations/conv_1': {
        body: detail(jane, contact({ externalUserId: 'jane@acme.test', pending: true })),
      },
    });
    await loadInbox('open');
    await loadDetail('conv_1');
    const before = calls.length;

    handleFrame(profileFrame);

    expect(calls.length - before).toBe(0);
    const shown = $details.get()['conv_1']?.detail;
    expect(shown?.contact).toEqual(fetched);
    expect(shown?.conversation.visitorLabel).toBe('Jane Doe');
    expect(findConversation('conv_1')?.visitorLabel).toBe('Jane Doe');
  });

  it('wins over a load that started before it and answers after it', async () => {
    const answers: Array<() => void> = [];
    mockApi({
      'GET /api/agent/conversations/conv_1': {
        body: detail(jane, contact({ externalUserId: 'jane@acme.test', pending: true })),
      },
    });
    await loadDetail('conv_1');
    const respond = vi.mocked(fetch).getMockImplementation()!;
    vi.mocked(fetch).mockImplementationOnce(
      (input, init) => new Promise((resolve) => answers.push(() => resolve(respond(input, init)))),
    );
    const stale = loadDetail('conv_1'); // read before the fetch ended

    handleFrame(profileFrame);
    answers[0]!();
    await stale;

    expect($details.get()['conv_1']?.detail?.contact).toEqual(fetched);
    expect($details.get()['conv_1']?.detail?.conversation.visitorLabel).toBe('Jane Doe');
  });

  it('leaves conversations this console does not show alone', () => {
    const calls = mockApi({});
    handleFrame({
      type: 'profile',
      visitorId: 'vis_1',
      conversationIds: ['conv_9'],
      contact: fetched,
      visitorLabel: 'Jane Doe',
    });
    expect(calls).toEqual([]);
    expect($details.get()['conv_9']).toBeUndefined();
  });
});
