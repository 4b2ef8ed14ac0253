import { atom } from 'nanostores';
import { playBlip } from '../lib/sound.js';

export interface NotificationsState {
  permission: NotificationPermission | 'unsupported';
  bannerDismissed: boolean;
}

const DISMISS_KEY = 'palaver.notifications.dismissed';

function supported(): boolean {
  return typeof globalThis.Notification === 'function';
}

function readDismissed(): boolean {
  try {
    return localStorage.getItem(DISMISS_KEY) === '1';
  } catch {
    return false;
  }
}

export const $notifications = atom<NotificationsState>({
  permission: supported() ? Notification.permission : 'unsupported',
  bannerDismissed: readDismissed(),
});

/** Only ever called from the banner's button: browsers punish unprompted permission requests. */
export async function enableNotifications(): Promise<void> {
  if (!supported()) return;
  const permission = await Notification.requestPermission();
  $notifications.set({ ...$notifications.get(), permission });
}

export function dismissNotificationBanner(): void {
  try {
    localStorage.setItem(DISMISS_KEY, '1');
  } catch {
    // Private mode: the banner stays dismissed for this tab only.
  }
  $notifications.set({ ...$notifications.get(), bannerDismissed: true });
}

/** A visitor wrote while this tab is in the background. */
export function notifyVisitorMessage(
  message: { conversationId: string; label: string; body: string },
  onClick: () => void,
): void {
  const { label, body } = message;
  if (document.visibilityState !== 'hidden') return;
  playBlip();
  if (!supported() || Notification.permission !== 'granted') return;
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
