// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  $notifications,
  notifyVisitorMessage,
  refreshNotifications,
} from '../stores/notifications.js';
import { resetAll } from '../test-support/reset.js';
import { NotificationBanner } from './NotificationBanner.js';

const shown: { title: string; options: NotificationOptions }[] = [];

/** Stands in for the browser's Notification API. */
function installNotifications(permission: NotificationPermission) {
  shown.length = 0;
  const requestPermission = vi.fn(() => {
    Fake.permission = 'granted';
    return Promise.resolve('granted' as const);
  });
  class Fake {
    static permission: NotificationPermission = permission;
    static requestPermission = requestPermission;
    onclick: (() => void) | null = null;
    constructor(title: string, options: NotificationOptions) {
      shown.push({ title, options });
    }
    close() {}
  }
  vi.stubGlobal('Notification', Fake);
  refreshNotifications();
  return requestPermission;
}

function setVisibility(state: DocumentVisibilityState) {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
}

afterEach(() => {
  resetAll();
  localStorage.clear();
  setVisibility('visible');
  refreshNotifications();
});

describe('NotificationBanner', () => {
  it('does not ask the browser for permission until the agent clicks the button', async () => {
    const requestPermission = installNotifications('default');
    render(<NotificationBanner />);

    expect(screen.getByRole('region', { name: 'Desktop notifications' })).toBeTruthy();
    expect(requestPermission).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Turn on notifications' }));

    expect(requestPermission).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.queryByRole('region')).toBeNull());
    expect($notifications.get().permission).toBe('granted');
  });

  it('goes away for good on “Not now”', () => {
    installNotifications('default');
    const { unmount } = render(<NotificationBanner />);

    fireEvent.click(screen.getByRole('button', { name: 'Not now' }));
    unmount();
    refreshNotifications();
    render(<NotificationBanner />);

    expect(screen.queryByRole('region', { name: 'Desktop notifications' })).toBeNull();
  });

  it('stays hidden when permission was already given or refused, or is unsupported', () => {
    for (const permission of ['granted', 'denied'] as const) {
      installNotifications(permission);
      const { unmount } = render(<NotificationBanner />);
      expect(screen.queryByRole('region')).toBeNull();
      unmount();
    }
    vi.unstubAllGlobals();
    refreshNotifications();
    render(<NotificationBanner />);
    expect(screen.queryByRole('region')).toBeNull();
  });
});

describe('notifyVisitorMessage', () => {
  const message = { conversationId: 'conv_1', label: 'jane@acme.test', body: 'Hello?' };

  it('shows a desktop notification only while the tab is hidden', () => {
    installNotifications('granted');
    const onClick = vi.fn();

    notifyVisitorMessage(message, onClick);
    expect(shown).toEqual([]);

    setVisibility('hidden');
    notifyVisitorMessage(message, onClick);
    expect(shown).toEqual([
      { title: 'New message from jane@acme.test', options: { body: 'Hello?', tag: 'conv_1' } },
    ]);
  });

  it('shows nothing without permission', () => {
    installNotifications('denied');
    setVisibility('hidden');

    notifyVisitorMessage(message, () => undefined);

    expect(shown).toEqual([]);
  });
});
