import { atom } from 'nanostores';
import { playBlip } from '../lib/sound.js';

export interface NotificationsState {
  permission: NotificationPermission | 'unsupported';
  bannerDismissed: boolean;
  /** Play a sound for new visitor messages while the tab is hidden. */
  sound: boolean;
}

const DISMISS_KEY = 'palaver.notifications.dismissed';
const SOUND_KEY = 'palaver.notifications.sound';

function supported(): boolean {
  return typeof globalThis.Notification === 'function';
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private mode or storage full: the choice lasts for this tab only.
  }
}

function initial(): NotificationsState {
  return {
    permission: supported() ? Notification.permission : 'unsupported',
    bannerDismissed: read(DISMISS_KEY) === '1',
    sound: read(SOUND_KEY) !== '0',
  };
}

export const $notifications = atom<NotificationsState>(initial());

/** Only ever called from the banner's button: browsers punish unprompted permission requests. */
export async function enableNotifications(): Promise<void> {
  if (!supported()) return;
  const permission = await Notification.requestPermission();
  $notifications.set({ ...$notifications.get(), permission });
}

export function dismissNotificationBanner(): void {
  write(DISMISS_KEY, '1');
  $notifications.set({ ...$notifications.get(), bannerDismissed: true });
}

export function setSound(on: boolean): void {
  write(SOUND_KEY, on ? '1' : '0');
  $notifications.set({ ...$notifications.get(), sound: on });
}

/** Re-reads permission and preferences (tests; a permission changed in the browser's settings). */
export function refreshNotifications(): void {
  $notifications.set(initial());
}

/** A visitor wrote while this tab is in the background: sound, and a desktop notification. */
export function notifyVisitorMessage(
  message: { conversationId: string; label: string; body: string },
  onClick: () => void,
): void {
  if (document.visibilityState !== 'hidden') return;
  if ($notifications.get().sound) playBlip();
  if (!supported() || Notification.permission !== 'granted') return;
  const { label, body } = message;
  const preview = body.length > 140 ? body.slice(0, 139) + '…' : body;
  const notification = new Notification(`New message from ${label}`, {
    body: preview,
    tag: message.conversationId,
  });
  notification.onclick = () => {
    focus();
    onClick();
    notification.close();
  };
}
