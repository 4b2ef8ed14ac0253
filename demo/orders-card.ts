import type { CardAnswer, CardComponent, CardContext, CardTone } from '../protocol/index.js';
import { canCancel, canRefund, orderTotal, type AcmeOrder, type OrderStatus } from './orders.js';

/** The orders a card shows: the latest few are what an agent needs in a chat. */
const SHOWN = 5;

const TONES: Record<OrderStatus, CardTone> = {
  paid: 'default',
  shipped: 'success',
  delivered: 'success',
  cancelled: 'muted',
  refunded: 'warning',
};

export const money = (minor: number, currency: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(minor / 100);

export const paidWith = (order: AcmeOrder) => `${order.payment.brand} •••• ${order.payment.last4}`;

const day = (iso: string) =>
  new Date(iso).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** Action ids carry the order number: the button says which order it acts on. */
export const CANCEL = 'cancel';
export const REFUND = 'refund';
export const REASON_INPUT = 'reason';

function actions(order: AcmeOrder): CardComponent[] {
  const found: CardComponent[] = [];
  if (canCancel(order)) {
    found.push({
      type: 'form',
      components: [
        {
          type: 'input',
          name: REASON_INPUT,
          label: 'Reason for cancelling',
          placeholder: 'e.g. charged twice',
          required: true,
          maxLength: 200,
        },
        {
          type: 'button',
          text: 'Cancel order',
          action: `${CANCEL}:${order.number}`,
          style: 'danger',
          confirm: `Cancel order ${order.number}? The customer is not charged and it will not ship.`,
        },
      ],
    });
  }
  if (canRefund(order)) {
    found.push({
      type: 'button',
      text: 'Refund',
      action: `${REFUND}:${order.number}`,
      style: 'secondary',
      confirm: `Refund ${money(orderTotal(order), order.currency)} to ${paidWith(order)}?`,
      adminOnly: true,
    });
  }
  return found;
}

function orderSection(order: AcmeOrder, withActions: boolean): CardComponent {
  const components: CardComponent[] = [
    { type: 'badge', text: order.status, tone: TONES[order.status] },
    {
      type: 'table',
      columns: ['Item', 'Qty', 'Unit price'],
      rows: order.items.map((item) => [item.name, item.qty, money(item.unitPrice, order.currency)]),
    },
    {
      type: 'keyValue',
      items: [
        { label: 'Shipping', value: money(order.shipping, order.currency) },
        { label: 'Total', value: money(orderTotal(order), order.currency) },
        { label: 'Payment', value: paidWith(order) },
        ...(order.cancelReason ? [{ label: 'Cancelled because', value: order.cancelReason }] : []),
      ],
    },
  ];
  if (withActions) components.push(...actions(order));
  return { type: 'section', title: `Order ${order.number} · ${day(order.createdAt)}`, components };
}

/**
 * Acme's Orders card for a contact: their latest orders with items, totals, status and payment,
 * and the buttons Acme allows in each order's state. Actions are offered for verified visitors
 * only: a claimed id is the visitor's word, and Acme changes nobody's order on that.
 */
export function ordersCard(
  contact: CardContext['contact'],
  orders: readonly AcmeOrder[],
): CardAnswer {
  // No card title: the console heads the frame with the card's name, "Orders", already.
  const heading: CardComponent = { type: 'heading', text: 'Recent orders' };
  if (orders.length === 0) {
    return {
      card: {
        version: 1,
        components: [heading, { type: 'text', text: 'No orders', tone: 'muted' }],
      },
    };
  }
  const verified = contact?.identity === 'verified';
  const notice: CardComponent[] = verified
    ? []
    : [
        {
          type: 'text',
          text: 'This visitor’s identity is not verified: Acme shows their orders but offers no actions.',
          tone: 'warning',
        },
      ];
  return {
    card: {
      version: 1,
      components: [
        heading,
        ...notice,
        ...orders.slice(0, SHOWN).map((order) => orderSection(order, verified)),
      ],
    },
  };
}
