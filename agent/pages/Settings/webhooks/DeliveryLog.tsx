import { useEffect, useState } from 'preact/hooks';
import type { WebhookDelivery } from '../../../../protocol/index.js';
import { fetchDeliveries, redeliver } from '../../../api/webhooks.js';
import { ApiError } from '../../../api/request.js';
import { Notice } from '../../../components/Notice.js';

const failure = (error: unknown, fallback: string) =>
  error instanceof ApiError ? error.message : fallback;

/** A subscription's latest deliveries: outcome, attempts, answer; ended ones can be sent again. */
export function DeliveryLog(props: { projectId: string; webhookId: string }) {
  const [items, setItems] = useState<WebhookDelivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () =>
    fetchDeliveries(props.projectId, props.webhookId).then(
      (page) => setItems(page.items),
      (e: unknown) => setError(failure(e, 'Could not load the deliveries')),
    );
  useEffect(() => void load(), [props.projectId, props.webhookId]);

  async function again(id: string): Promise<void> {
    setError(null);
    try {
      const updated = await redeliver(props.projectId, props.webhookId, id);
      setItems((current) => current?.map((d) => (d.id === id ? updated : d)) ?? null);
    } catch (e) {
      setError(failure(e, 'Could not redeliver'));
    }
  }

  return (
    <div class="delivery-log">
      <Notice text={error} />
      {items === null ? <p class="loading">Loading…</p> : null}
      {items?.length === 0 ? <p class="empty-text">No events sent yet.</p> : null}
      {items && items.length > 0 ? (
        <table class="table" aria-label="Deliveries">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Answer</th>
              <th scope="col">Latency</th>
              <th scope="col">Last attempt</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id}>
                <td>
                  <code>{d.eventType}</code>
                </td>
                <td>{d.status}</td>
                <td>{d.attempts}</td>
                <td title={d.excerpt ?? undefined}>{d.responseStatus ?? d.errorClass ?? '—'}</td>
                <td>{d.latencyMs === null ? '—' : `${d.latencyMs} ms`}</td>
                <td>{d.lastAttemptAt ? new Date(d.lastAttemptAt).toLocaleString() : '—'}</td>
                <td>
                  {d.status === 'delivered' || d.status === 'failed' ? (
                    <button
                      type="button"
                      class="button button-small"
                      onClick={() => void again(d.id)}
                    >
                      Redeliver
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
