import { describe, expect, it } from 'vitest';
import { CardAnswer, checkActionInputs, type CardContext } from '../protocol/index.js';
import { ordersCard } from './orders-card.js';
import { AcmeOrders } from './orders.js';

const contact = (identity: 'verified' | 'claimed'): CardContext['contact'] => ({
  externalId: 'u_1001',
  identity,
  profile: null,
  properties: {},
});

describe('Acme’s Orders card', () => {
  it('is a valid card answer listing Alice’s orders, with the actions each state allows', () => {
    const answer = ordersCard(contact('verified'), new AcmeOrders().of('u_1001'));
    const card = CardAnswer.parse(answer).card;
    expect(card).toEqual(answer.card);
    const text = JSON.stringify(card);
    expect(text).toContain('Recent orders');
    expect(text).toContain('Visa •••• 4242');
    expect(text).toContain('€298.00');
    // A-1001 is paid: cancel (with a required reason) and refund; A-0999 has shipped: neither.
    expect(checkActionInputs(card, 'cancel:A-1001', {}, 'admin')).toMatchObject({
      ok: false,
      problems: [{ path: 'inputs.reason', message: '“Reason for cancelling” is required' }],
    });
    expect(checkActionInputs(card, 'cancel:A-1001', { reason: 'x' }, 'agent').ok).toBe(true);
    expect(checkActionInputs(card, 'refund:A-1001', {}, 'agent')).toMatchObject({ ok: false });
    expect(checkActionInputs(card, 'refund:A-1001', {}, 'admin').ok).toBe(true);
    expect(checkActionInputs(card, 'refund:A-0987', {}, 'admin').ok).toBe(true);
    expect(checkActionInputs(card, 'cancel:A-0999', {}, 'admin').ok).toBe(false);
    expect(checkActionInputs(card, 'refund:A-0999', {}, 'admin').ok).toBe(false);
  });

  it('shows a claimed visitor’s orders without buttons', () => {
    const answer = ordersCard(contact('claimed'), new AcmeOrders().of('u_1001'));
    expect(CardAnswer.parse(answer)).toEqual(answer);
    expect(JSON.stringify(answer)).not.toContain('"button"');
    expect(JSON.stringify(answer)).toContain('not verified');
  });

  it('says "No orders" for a contact without any, or no contact at all', () => {
    for (const answer of [ordersCard(contact('verified'), []), ordersCard(null, [])]) {
      expect(CardAnswer.parse(answer)).toEqual(answer);
      expect(answer.card.components).toContainEqual({
        type: 'text',
        text: 'No orders',
        tone: 'muted',
      });
    }
  });
});

describe('Acme’s orders', () => {
  it('cancels a paid order once, and says so the second time', () => {
    const orders = new AcmeOrders();
    expect(orders.cancel('u_1001', 'A-1001', 'charged twice')).toMatchObject({
      ok: true,
      order: { status: 'cancelled', cancelReason: 'charged twice' },
    });
    expect(orders.cancel('u_1001', 'A-1001', 'again')).toEqual({
      ok: false,
      message: 'Order A-1001 is already cancelled',
    });
    expect(orders.refund('u_1001', 'A-1001').ok).toBe(false);
  });

  it('refunds paid or delivered orders only, and never another customer’s', () => {
    const orders = new AcmeOrders();
    expect(orders.refund('u_1001', 'A-0987')).toMatchObject({
      ok: true,
      order: { status: 'refunded' },
    });
    expect(orders.refund('u_1001', 'A-0999')).toMatchObject({ ok: false });
    expect(orders.cancel('u_1001', 'A-0999', 'late')).toEqual({
      ok: false,
      message:
        'Order A-0999 has shipped and can no longer be cancelled; refund it once it is delivered',
    });
    expect(orders.refund('u_1002', 'A-1001')).toEqual({
      ok: false,
      message: 'This customer has no order A-1001',
    });
    expect(orders.of('u_1001').find((o) => o.number === 'A-1001')?.status).toBe('paid');
  });
});
