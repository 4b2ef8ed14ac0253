import type { IntegrationSettings } from '../../../../protocol/index.js';
import { Icon } from '../../../components/Icon.js';
import { OutcomeChip } from '../../../components/OutcomeChip.js';
import { ago, dateTime, shortWhen } from '../../../lib/format.js';
import { useNow } from '../../../lib/use-now.js';
import { hrefOf } from '../../../stores/route.js';

/** Healthy, failing since …, or paused until …: what the last attempts say about the endpoint. */
export function HealthBanner({ settings }: { settings: IntegrationSettings }) {
  const now = useNow();
  const { health } = settings;
  const logHref = hrefOf({ name: 'integration-log', id: settings.projectId });
  const paused =
    health.pausedUntil && Date.parse(health.pausedUntil) > now ? health.pausedUntil : null;
  const logLink = (
    <a class="health-link" href={logHref}>
      Open the log
    </a>
  );

  if (!settings.enabled) {
    return (
      <div class="health health-off" data-testid="health">
        <Icon name="plug" size={16} />
        <p class="health-text">
          <span class="strong">The integration is off.</span> Palaver does not call your user API,
          and agents see no profiles.
        </p>
      </div>
    );
  }
  if (health.status === 'failing' || paused) {
    const error = health.lastError;
    return (
      <div class="health health-bad" role="status" data-testid="health">
        <Icon name="alert" size={16} />
        <div class="health-text">
          {health.status === 'failing' && health.failingSince ? (
            <p class="strong" title={dateTime(health.failingSince)}>
              {`Failing since ${shortWhen(health.failingSince, now)} (${ago(health.failingSince, now)})`}
            </p>
          ) : null}
          {error ? (
            <p class="health-error">
              {`Last error at ${shortWhen(error.at, now)}: `}
              <OutcomeChip outcome={error.outcome} />
              {error.httpStatus !== null && !error.message.startsWith(`HTTP ${error.httpStatus}`)
                ? ` HTTP ${error.httpStatus} · `
                : ' '}
              {error.message}
            </p>
          ) : null}
          {paused ? (
            <p class="strong" title={dateTime(paused)}>
              {`Paused until ${shortWhen(paused, now)}: after repeated failures, or as the site asked (Retry-After), Palaver waits before calling again.`}
            </p>
          ) : null}
          {health.lastSuccessAt ? (
            <p class="muted">{`Last success ${ago(health.lastSuccessAt, now)}.`}</p>
          ) : null}
        </div>
        {logLink}
      </div>
    );
  }
  if (health.status === 'healthy') {
    return (
      <div class="health health-good" role="status" data-testid="health">
        <Icon name="check" size={16} />
        <p class="health-text">
          <span class="strong">Healthy</span>
          {health.lastSuccessAt ? ` · last success ${ago(health.lastSuccessAt, now)}` : null}
        </p>
        {logLink}
      </div>
    );
  }
  return (
    <div class="health health-off" role="status" data-testid="health">
      <Icon name="plug" size={16} />
      <p class="health-text">
        <span class="strong">No calls yet.</span> Use Test connection to try your endpoint.
      </p>
    </div>
  );
}
