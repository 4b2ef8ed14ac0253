import { useStore } from '@nanostores/preact';
import {
  $notifications,
  dismissNotificationBanner,
  enableNotifications,
} from '../stores/notifications.js';
import { Icon } from './Icon.js';

/**
 * Offers desktop notifications; the browser's permission prompt opens only when the agent clicks
 * Enable, never on load.
 */
export function NotificationBanner() {
  const { permission, bannerDismissed } = useStore($notifications);
  if (permission !== 'default' || bannerDismissed) return null;
  return (
    <div class="banner" role="region" aria-label="Desktop notifications">
      <span class="banner-icon">
        <Icon name="bell" />
      </span>
      <p class="banner-text">
        <strong>Don’t miss a visitor.</strong> Get a desktop notification when someone writes while
        this tab is in the background.
      </p>
      <div class="banner-actions">
        <button
          type="button"
          class="button button-primary button-small"
          onClick={() => void enableNotifications()}
        >
          Turn on notifications
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
