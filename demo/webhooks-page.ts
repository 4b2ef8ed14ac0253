import { escapeHtml } from './html.js';
import type { ReceivedWebhook } from './webhooks.js';

function row(entry: ReceivedWebhook): string {
  const at = entry.receivedAt.toISOString();
  const verdict =
    entry.rejected === null
      ? '<span class="verdict verdict-ok">signature verified</span>'
      : `<span class="verdict verdict-bad">rejected: ${escapeHtml(entry.rejected)}</span>`;
  const repeats =
    entry.deliveries > 1 ? ` <small>(delivered ${entry.deliveries}×, handled once)</small>` : '';
  return `<tr>
          <td class="nowrap"><time datetime="${at}">${escapeHtml(`${at.slice(5, 10)} ${at.slice(11, 19)}`)}</time></td>
          <td><span class="nowrap">${escapeHtml(entry.type ?? '—')}</span><br><code class="event-id">${escapeHtml(entry.eventId ?? '—')}</code>${repeats}</td>
          <td${entry.rejected === null ? ' class="nowrap"' : ''}>${verdict}</td>
          <td class="what">${escapeHtml(entry.summary)}</td>
        </tr>`;
}

/** The body of /demo/webhooks: what Acme's receiver got from Palaver, newest first. */
export function webhooksPageBody(entries: readonly ReceivedWebhook[]): string {
  const table = entries.length
    ? `<div class="table-scroll" tabindex="0" role="region" aria-label="Deliveries Acme received"><table class="data-table">
        <caption>The last ${entries.length} deliveries, newest first (times in UTC)</caption>
        <thead><tr><th scope="col">Received</th><th scope="col">Event and its id</th><th scope="col">Signature</th><th scope="col">What happened</th></tr></thead>
        <tbody>${entries.map(row).join('')}
        </tbody>
      </table></div>`
    : '<p class="muted">Nothing yet. The demo project’s webhook sends Acme every event: chat in the widget and they appear here. (If an admin deleted it in Settings → Webhooks, the next start adds it back.)</p>';
  return `<section class="card">
      <div class="row"><h1>Webhooks Acme received</h1><a href="/demo/webhooks">Refresh</a></div>
      <p>Acme’s server receives Palaver’s webhooks at <code>POST /demo-api/palaver/webhooks</code>. It checks each <code>Palaver-Signature</code> over the raw body with its copy of the project’s signing secret, refuses a bad or old one with 401, and handles each <code>Palaver-Event-Id</code> once.</p>
      ${table}
    </section>`;
}
