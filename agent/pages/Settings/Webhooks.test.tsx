// @vitest-environment happy-dom
import { fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebhookDelivery, WebhookSubscription } from '../../../protocol/index.js';
import { mockApi } from '../../test-support/api-mock.js';
import { at, project } from '../../test-support/fixtures.js';
import { resetAll } from '../../test-support/reset.js';
import { WebhooksPage } from './Webhooks.js';

afterEach(resetAll);

const HOOKS = '/api/admin/projects/acme/webhooks';

function webhook(overrides: Partial<WebhookSubscription> = {}): WebhookSubscription {
  return {
    id: 'wh_1',
    projectId: 'acme',
    url: 'https://shop.example.com/hooks',
    events: ['message.created'],
    enabled: true,
    disabledReason: null,
    disabledAt: null,
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

const failed: WebhookDelivery = {
  id: 'dlv_1',
  eventId: 'evt_1',
  eventType: 'message.created',
  status: 'failed',
  attempts: 9,
  createdAt: at(0),
  lastAttemptAt: at(1),
  nextAttemptAt: null,
  responseStatus: 500,
  latencyMs: 42,
  errorClass: 'server_error',
  excerpt: 'boom',
};

describe('WebhooksPage', () => {
  it('says which webhook Palaver turned off, and why', async () => {
    mockApi({
      'GET /api/admin/projects': { body: { items: [project()] } },
      [`GET ${HOOKS}`]: {
        body: {
          items: [webhook({ enabled: false, disabledReason: 'failing', disabledAt: at(2) })],
        },
      },
    });
    render(<WebhooksPage id="acme" />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('https://shop.example.com/hooks was turned off');
    expect(screen.getByRole('button', { name: 'Turn on' })).toBeTruthy();
  });

  it('shows a delivery log with the answer, and redelivers an ended delivery', async () => {
    const calls = mockApi({
      'GET /api/admin/projects': { body: { items: [project()] } },
      [`GET ${HOOKS}`]: { body: { items: [webhook()] } },
      [`GET ${HOOKS}/wh_1/deliveries`]: { body: { items: [failed], nextCursor: null } },
      [`POST ${HOOKS}/wh_1/deliveries/dlv_1/redeliver`]: {
        body: { ...failed, status: 'pending', nextAttemptAt: at(3) },
      },
    });
    render(<WebhooksPage id="acme" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Deliveries' }));
    const log = await screen.findByRole('table', { name: 'Deliveries' });
    const row = within(log).getByText('message.created').closest('tr') as HTMLElement;
    expect(within(row).getByText('500')).toBeTruthy();
    expect(within(row).getByText('42 ms')).toBeTruthy();
    fireEvent.click(within(row).getByRole('button', { name: 'Redeliver' }));
    expect(await within(row).findByText('pending')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST' && c.path.endsWith('/redeliver'))).toBe(true);
  });

  it('adds a webhook for the events chosen and shows the server’s refusal', async () => {
    const calls = mockApi({
      'GET /api/admin/projects': { body: { items: [project()] } },
      [`GET ${HOOKS}`]: { body: { items: [] } },
      [`POST ${HOOKS}`]: {
        status: 422,
        body: { error: { code: 'validation_failed', message: 'Use an https URL' } },
      },
    });
    render(<WebhooksPage id="acme" />);
    fireEvent.click(await screen.findByRole('button', { name: 'New webhook' }));
    const form = screen.getByRole('form', { name: 'New webhook' });
    fireEvent.input(within(form).getByLabelText('URL'), {
      target: { value: 'http://shop.example.com/hooks' },
    });
    fireEvent.click(within(form).getByLabelText('contact.deleted'));
    fireEvent.click(within(form).getByRole('button', { name: 'Add webhook' }));
    expect(await within(form).findByText('Use an https URL')).toBeTruthy();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      url: 'http://shop.example.com/hooks',
      events: ['message.created', 'contact.deleted'],
    });
  });
});
