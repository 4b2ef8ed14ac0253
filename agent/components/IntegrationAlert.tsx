import { useStore } from '@nanostores/preact';
import { failurePhrase } from '../lib/outcomes.js';
import { $integrationAlerts, dismissIntegrationAlert } from '../stores/integration-alerts.js';
import { $projects } from '../stores/projects.js';
import { $route, hrefOf } from '../stores/route.js';
import { Icon } from './Icon.js';

/**
 * Tells admins, on any page, that a project's API integration stopped working: agents of that
 * project see no fresh profiles until someone fixes it. Gone when it recovers or is dismissed.
 */
export function IntegrationAlert() {
  const alerts = useStore($integrationAlerts);
  const projects = useStore($projects);
  const route = useStore($route);
  return (
    <>
      {alerts.map(({ projectId, health }) => {
        // The settings page shows the same news in its own banner.
        if (route.name === 'integration' && route.id === projectId) return null;
        const name = projects.find((p) => p.id === projectId)?.name ?? projectId;
        const error = health.lastError;
        const what = health.pausedUntil
          ? 'is paused after repeated failures'
          : error
            ? failurePhrase(error)
            : 'is failing';
        return (
          <div
            key={projectId}
            class="banner banner-bad"
            role="alert"
            data-testid="integration-alert"
          >
            <span class="banner-icon">
              <Icon name="alert" />
            </span>
            <p class="banner-text">
              <strong>{`${name}: the user API ${what}.`}</strong> Agents see no fresh profiles until
              it works again.
            </p>
            <div class="banner-actions">
              <a
                class="button button-primary button-small"
                href={hrefOf({ name: 'integration', id: projectId })}
              >
                Open API Integration
              </a>
              <button
                type="button"
                class="button button-ghost button-small"
                onClick={() => dismissIntegrationAlert(projectId)}
              >
                Dismiss
              </button>
            </div>
          </div>
        );
      })}
    </>
  );
}
