/** What an Acme order goes through; only a paid order has not left the warehouse yet. */
export type OrderStatus = 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';

export interface OrderItem {
  name: string;
  qty: number;
  /** In the order's currency's minor unit (cents). */
  unitPrice: number;
}

export interface AcmeOrder {
  number: string;
  /** The Acme user who placed it (users.ts). */
  userId: string;
  status: OrderStatus;
  items: OrderItem[];
  /** ISO 4217. */
  currency: string;
  /** In minor units, like the prices. */
  shipping: number;
  payment: { brand: string; last4: string };
  createdAt: string;
  /** Why it was cancelled, when it was. */
  cancelReason?: string;
}

const VISA = { brand: 'Visa', last4: '4242' };
const item = (name: string, qty: number, unitPrice: number): OrderItem => ({
  name,
  qty,
  unitPrice,
});

/** An order as Acme's shop records it: in euros, paid by Visa, shipped free unless `more` says. */
function placed(
  [number, userId, status, createdAt]: [string, string, OrderStatus, string],
  items: OrderItem[],
  more: Partial<AcmeOrder> = {},
): AcmeOrder {
  return {
    number,
    userId,
    status,
    items,
    currency: 'EUR',
    shipping: 0,
    payment: VISA,
    createdAt,
    ...more,
  };
}

const SEED: readonly AcmeOrder[] = [
  placed(
    ['A-1001', 'u_1001', 'paid', '2026-11-30T09:12:00.000Z'],
    [item('Acme Pro annual licence', 1, 24900), item('Priority onboarding call', 1, 4900)],
  ),
  placed(
    ['A-0999', 'u_1001', 'shipped', '2026-11-24T15:40:00.000Z'],
    [item('Acme edge router', 2, 8900)],
    { shipping: 990 },
  ),
  placed(
    ['A-0987', 'u_1001', 'delivered', '2026-10-02T11:05:00.000Z'],
    [item('Rack mount kit', 1, 3900), item('Cat6 cable, 2 m', 4, 600)],
    { shipping: 590, payment: { brand: 'Mastercard', last4: '5100' } },
  ),
  placed(
    ['A-0950', 'u_1001', 'cancelled', '2026-08-19T08:00:00.000Z'],
    [item('Acme Starter monthly', 1, 1900)],
    { cancelReason: 'Upgraded to Pro instead' },
  ),
  placed(
    ['B-2001', 'u_1002', 'paid', '2026-11-28T17:30:00.000Z'],
    [item('Acme Starter monthly', 1, 1900)],
    { payment: { brand: 'Amex', last4: '0005' } },
  ),
];

export const orderTotal = (order: AcmeOrder) =>
  order.items.reduce((sum, item) => sum + item.qty * item.unitPrice, order.shipping);

/** Why an order in a state where the change is not allowed stays as it is. */
const WHY_NOT: Record<'cancel' | 'refund', Partial<Record<OrderStatus, string>>> = {
  cancel: {
    shipped: 'has shipped and can no longer be cancelled; refund it once it is delivered',
    delivered: 'was delivered and can no longer be cancelled; refund it instead',
    cancelled: 'is already cancelled',
    refunded: 'was refunded and can no longer be cancelled',
  },
  refund: {
    shipped: 'is on its way; refund it once it is delivered',
    cancelled: 'was cancelled: nothing was charged to refund',
    refunded: 'is already refunded',
  },
};

export const canCancel = (order: AcmeOrder) => WHY_NOT.cancel[order.status] === undefined;
export const canRefund = (order: AcmeOrder) => WHY_NOT.refund[order.status] === undefined;

/** What a cancel or refund did: the order as it is now, or why nothing changed. */
export type OrderChange = { ok: true; order: AcmeOrder } | { ok: false; message: string };

/**
 * Acme's order database, in memory: a restart starts over from the seeded orders. Cancel and
 * refund change an order only from the states where Acme allows them.
 */
export class AcmeOrders {
  private readonly orders = new Map(SEED.map((order) => [order.number, structuredClone(order)]));

  /** A user's orders, newest first. */
  of(userId: string): AcmeOrder[] {
    return [...this.orders.values()]
      .filter((order) => order.userId === userId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  cancel(userId: string, number: string, reason: string): OrderChange {
    return this.change(userId, number, 'cancel', (order) => {
      order.status = 'cancelled';
      order.cancelReason = reason;
    });
  }

  refund(userId: string, number: string): OrderChange {
    return this.change(userId, number, 'refund', (order) => {
      order.status = 'refunded';
    });
  }

  private change(
    userId: string,
    number: string,
    kind: 'cancel' | 'refund',
    apply: (order: AcmeOrder) => void,
  ): OrderChange {
    const order = this.orders.get(number);
    // Another user's order is as unknown as a missing one: the card only offers the contact's.
    if (!order || order.userId !== userId) {
      return { ok: false, message: `This customer has no order ${number}` };
    }
    const why = WHY_NOT[kind][order.status];
    if (why !== undefined) return { ok: false, message: `Order ${number} ${why}` };
    apply(order);
    return { ok: true, order };
  }
}
