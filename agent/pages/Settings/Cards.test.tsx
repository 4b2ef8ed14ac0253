// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { CardCallEntry, CardSettings } from '../../../protocol/index.js';
import { mockApi } from '../../test-support/api-mock.js';
import { at, project } from '../../test-support/fixtures.js';
import { resetAll } from '../../test-support/reset.js';
import { CardsPage } from './Cards.js';

afterEach(resetAll);

const CARDS = '/api/admin/projects/acme/cards';

const orders: CardSettings = {
  id: 'card_1',
  projectId: 'acme',
  name: 'Orders',
  url: 'https://shop.example.com/palaver/cards/orders',
  headers: [{ name: 'Authorization', masked: 'Bearer ••••' }],
  enabled: true,
  cacheSeconds: 60,
  position: 0,
  createdAt: at(0),
  updatedAt: at(0),
};

const refund: CardCallEntry = {
  id: 'clog_1',
  at: at(5),
  cardId: 'card_1',
  cardName: 'Orders',
  agent: { id: 'agt_me', name: 'Ada' },
  kind: 'action',
  action: 'refund:A-1001',
  outcome: 'error',
  httpStatus: 200,
  latencyMs: 41.5,
  errorClass: 'invalid_answer',
  message: '"message": actions cannot message the visitor',
  inputs: { notify: true },
  droppedPii: [{ path: 'reason', reason: 'card_number' }],
};

describe('CardsPage', () => {
  it('lists the cards, with the card log under them', async () => {
    mockApi({
      'GET /api/admin/projects': { body: { items: [project()] } },
      [`GET ${CARDS}`]: { body: { items: [orders] } },
      [`GET ${CARDS}/log`]: { body: { items: [refund], nextCursor: null } },
    });
    render(<CardsPage id="acme" />);
    expect(await screen.findByText('https://shop.example.com/palaver/cards/orders')).toBeTruthy();
    const entry = await screen.findByTestId('card-log-entry');
    expect(within(entry).getByText('refund:A-1001')).toBeTruthy();
    expect(entry.textContent).toContain('invalid_answer · HTTP 200 · 41.5 ms');
    expect(entry.textContent).toContain('dropped: reason (card_number)');
  });

  it('adds a card with its name, URL, cache time and headers', async () => {
    const calls = mockApi({
      'GET /api/admin/projects': { body: { items: [project()] } },
      [`GET ${CARDS}`]: { body: { items: [] } },
      [`GET ${CARDS}/log`]: { body: { items: [], nextCursor: null } },
      [`POST ${CARDS}`]: { status: 201, body: orders },
    });
    render(<CardsPage id="acme" />);
    fireEvent.click(await screen.findByRole('button', { name: 'New card' }));
    const dialog = screen.getByRole('dialog', { name: 'New card' });
    fireEvent.input(within(dialog).getByLabelText('Name'), { target: { value: 'Orders' } });
    fireEvent.input(within(dialog).getByLabelText('URL'), {
      target: { value: 'https://shop.example.com/palaver/cards/orders' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add card' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'Orders',
      url: 'https://shop.example.com/palaver/cards/orders',
      cacheSeconds: 60,
      enabled: true,
      headers: [],
    });
  });
});
