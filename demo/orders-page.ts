import { escapeHtml } from './html.js';
import { money, paidWith } from './orders-card.js';
import { orderTotal, type AcmeOrder } from './orders.js';

function row(order: AcmeOrder): string {
  const items = order.items.map((item) => `${item.qty} × ${item.name}`).join(', ');
  const status = order.cancelReason ? `${order.status} (${order.cancelReason})` : order.status;
  return `<tr>
          <th scope="row" class="nowrap">${escapeHtml(order.number)}</th>
          <td class="nowrap">${escapeHtml(order.createdAt.slice(0, 10))}</td>
          <td>${escapeHtml(items)}</td>
          <td>${escapeHtml(money(orderTotal(order), order.currency))}</td>
          <td>${escapeHtml(paidWith(order))}</td>
          <td>${escapeHtml(status)}</td>
        </tr>`;
}

/**
 * A signed-in user's orders on Acme's dashboard, as Acme's database has them now: what an agent
 * cancels or refunds from the Orders card in Palaver shows here on the next page load.
 */
export function ordersSection(orders: readonly AcmeOrder[]): string {
  if (orders.length === 0) return '';
  return `<section class="card plan">
      <h2>Your orders</h2>
      <div class="table-scroll" tabindex="0" role="region" aria-label="Your orders"><table class="data-table">
        <caption>Newest first; support can cancel or refund them from the chat</caption>
        <thead><tr><th scope="col">Order</th><th scope="col">Placed</th><th scope="col">Items</th><th scope="col">Total</th><th scope="col">Payment</th><th scope="col">Status</th></tr></thead>
        <tbody>${orders.map(row).join('')}
        </tbody>
      </table></div>
    </section>`;
}
