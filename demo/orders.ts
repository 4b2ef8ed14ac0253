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

const SEED: readonly AcmeOrder[] = [
  {
    number: 'A-1001',
    userId: 'u_1001',
    status: 'paid',
    items: [
      { name: 'Acme Pro annual licence', qty: 1, unitPrice: 24900 },
      { name: 'Priority onboarding call', qty: 1, unitPrice: 4900 },
    ],
    currency: 'EUR',
    shipping: 0,
    payment: { brand: 'Visa', last4: '4242' },
    createdAt: '2026-11-30T09:12:00.000Z',
  },
  {
    number: 'A-0999',
    userId: 'u_1001',
    status: 'shipped',
    items: [{ name: 'Acme edge router', qty: 2, unitPrice: 8900 }],
    currency: 'EUR',
    shipping: 990,
    payment: { brand: 'Visa', last4: '4242' },
    createdAt: '2026-11-24T15:40:00.000Z',
  },
  {
    number: 'A-0987',
    userId: 'u_1001',
    status: 'delivered',
    items: [
      { name: 'Rack mount kit', qty: 1, unitPrice: 3900 },
      { name: 'Cat6 cable, 2 m', qty: 4, unitPrice: 600 },
    ],
    currency: 'EUR',
    shipping: 590,
    payment: { brand: 'Mastercard', last4: '5100' },
    createdAt: '2026-10-02T11:05:00.000Z',
  },
  {
    number: 'A-0950',
    userId: 'u_1001',
    status: 'cancelled',
    items: [{ name: 'Acme Starter monthly', qty: 1, unitPrice: 1900 }],
    currency: 'EUR',
    shipping: 0,
    payment: { brand: 'Visa', last4: '4242' },
    createdAt: '2026-08-19T08:00:00.000Z',
    cancelReason: 'Upgraded to Pro instead',
  },
  {
    number: 'B-2001',
    userId: 'u_1002',
    status: 'paid',
    items: [{ name: 'Acme Starter monthly', qty: 1, unitPrice: 1900 }],
    currency: 'EUR',
    shipping: 0,
    payment: { brand: 'Amex', last4: '0005' },
    createdAt: '2026-11-28T17:30:00.000Z',
  },
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
