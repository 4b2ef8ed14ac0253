import { useStore } from '@nanostores/preact';
import {
  $notifications,
  dismissNotificationBanner,
  enableNotifications,
} from '../stores/notifications.js';

/** Asks for notification permission only when the agent clicks Enable. */
export function NotificationBanner() {
  const { permission, bannerDismissed } = useStore($notifications);
  if (permission !== 'default' || bannerDismissed) return null;
  return (
    <div class="banner" role="region" aria-label="Notifications">
      <span>Get notified of new messages while this tab is in the background.</span>
      <div class="banner-actions">
        <button
          type="button"
          class="button button-primary button-small"
          onClick={() => void enableNotifications()}
        >
          Enable
        </button>
        <button
          type="button"
          class="button button-ghost button-small"
          onClick={dismissNotificationBanner}
        >
          Not now
        </button>
      </div>
    </div>
  );
}
