// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeVisitorSocket } from '../../../test/support/fake-socket.js';
import { session } from '../../test-support/fixtures.js';
import { Chat } from '../chat.js';
import { Panel } from './Panel.js';

let chat: Chat | null = null;

beforeEach(() => FakeVisitorSocket.install());
afterEach(() => {
  cleanup();
  chat?.destroy();
  chat = null;
  vi.unstubAllGlobals();
});

function open() {
  const host = {
    container: document.createElement('div'),
    session: session({ agentsOnline: 2 }),
    close: vi.fn(),
    setUnread: vi.fn(),
    emit: vi.fn(),
    sessionLost: vi.fn(),
  };
  chat = new Chat(host);
  render(<Panel chat={chat} session={host.session} open onClose={vi.fn()} />);
  return FakeVisitorSocket.last();
}

describe('Panel header', () => {
  it('says the team is online only while the chat is connected', async () => {
    const ws = open();
    ws.accept({ agentsOnline: 2 });
    await screen.findByText('We are online and usually reply in minutes');

    ws.serverClose(1006);

    await screen.findByText('Leave a message — we reply here');
    expect(screen.queryByText(/We are online/)).toBeNull();
    expect(screen.getByRole('status').textContent).toMatch(/Offline/);
  });

  it('does not promise a reply before the connection is up, whatever the session said', async () => {
    open();

    await screen.findByText('Leave a message — we reply here');
    expect(screen.queryByText(/We are online/)).toBeNull();
  });
});
