// @vitest-environment happy-dom
import { render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from './App.js';
import { $router } from './stores/route.js';
import { mockApi } from './test-support/api-mock.js';
import { FakeAgentSocket } from '../test/support/fake-socket.js';
import { authSession, conversation } from './test-support/fixtures.js';
import { resetAll } from './test-support/reset.js';

afterEach(resetAll);
beforeEach(() => {
  FakeAgentSocket.install();
  $router.open('/agent/', true);
});

function signedInAs(role: 'admin' | 'agent') {
  return mockApi({
    'GET /api/auth/me': { body: authSession({ role }) },
    'GET /api/agent/projects': { body: { items: [] } },
    'GET /api/agent/conversations': {
      body: {
        items: [
          conversation({ id: 'conv_1', unreadForAgents: 2 }),
          conversation({ id: 'conv_2', unreadForAgents: 1, visitorId: 'vis_2' }),
        ],
        nextCursor: null,
      },
    },
  });
}

describe('App', () => {
  it('shows settings to admins only', async () => {
    signedInAs('agent');
    render(<App />);
    await screen.findByRole('heading', { name: 'Inbox' });

    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(nav.textContent).toContain('Inbox');
    expect(nav.textContent).not.toContain('Projects');

    $router.open('/agent/settings/agents');
    expect(await screen.findByText('Admins only')).toBeTruthy();
    for (const path of ['integration', 'log']) {
      $router.open(`/agent/settings/projects/acme/${path}`);
      expect(await screen.findByText('Admins only')).toBeTruthy();
    }
  });

  it('puts the unread count in the tab title and opens the live connection', async () => {
    signedInAs('admin');
    render(<App />);

    await waitFor(() => expect(document.title).toBe('(3) Palaver'));
    expect(FakeAgentSocket.last().url).toContain('/ws/agent');
    expect(screen.getByRole('link', { name: /Projects/ }).getAttribute('href')).toBe(
      '/agent/settings/projects',
    );
  });
});
