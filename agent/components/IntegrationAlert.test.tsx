// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { IntegrationHealth } from '../../protocol/index.js';
import { handleFrame } from '../realtime/dispatch.js';
import { $projects } from '../stores/projects.js';
import { navigate } from '../stores/route.js';
import { project } from '../test-support/fixtures.js';
import { resetAll } from '../test-support/reset.js';
import { IntegrationAlert } from './IntegrationAlert.js';

afterEach(resetAll);

const failing: IntegrationHealth = {
  status: 'failing',
  failingSince: '2030-01-01T10:00:00.000Z',
  lastSuccessAt: null,
  lastError: {
    at: '2030-01-01T10:00:00.000Z',
    outcome: 'unauthorized',
    httpStatus: 403,
    message: 'HTTP 403',
  },
  pausedUntil: null,
};
const healthy: IntegrationHealth = { ...failing, status: 'healthy', lastError: null };

const hear = (health: IntegrationHealth, projectId = 'acme') =>
  handleFrame({ type: 'integration_health', projectId, previous: 'healthy', health });

describe('the integration alert', () => {
  it('tells admins on any page which project’s user API fails, with a link to its settings', async () => {
    $projects.set([project(), project({ id: 'globex', name: 'Globex' })]);
    navigate({ name: 'inbox', status: 'open' });
    render(<IntegrationAlert />);
    expect(screen.queryByTestId('integration-alert')).toBeNull();

    hear(failing);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Acme: the user API returned 403.');
    expect(screen.getByRole('link', { name: 'Open API Integration' }).getAttribute('href')).toMatch(
      /acme\/integration$/,
    );

    hear({ ...failing, pausedUntil: '2030-01-01T10:00:30.000Z' }, 'globex');
    await waitFor(() =>
      expect(screen.getAllByTestId('integration-alert').map((a) => a.textContent)).toEqual([
        expect.stringContaining('Globex: the user API is paused after repeated failures.'),
        expect.stringContaining('Acme'),
      ]),
    );
  });

  it('goes away when dismissed or when the integration recovers', async () => {
    $projects.set([project(), project({ id: 'globex', name: 'Globex' })]);
    navigate({ name: 'inbox', status: 'open' });
    render(<IntegrationAlert />);
    hear(failing);
    hear(failing, 'globex');
    expect(await screen.findAllByTestId('integration-alert')).toHaveLength(2);

    hear(healthy, 'globex');
    await waitFor(() => expect(screen.getAllByTestId('integration-alert')).toHaveLength(1));
    expect(screen.getByTestId('integration-alert').textContent).toContain('Acme');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(screen.queryByTestId('integration-alert')).toBeNull());
  });

  it('stays out of the way on that project’s own settings page, whose banner says it', async () => {
    $projects.set([project()]);
    navigate({ name: 'integration', id: 'acme' });
    render(<IntegrationAlert />);
    hear(failing);
    hear(failing, 'globex');
    // Rendered once the other project's alert shows: this one was left out, not late.
    expect(await screen.findByTestId('integration-alert')).toBeTruthy();
    expect(screen.getAllByTestId('integration-alert').map((a) => a.textContent)).toEqual([
      expect.stringContaining('globex'),
    ]);
  });
});
