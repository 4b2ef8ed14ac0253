import { useState } from 'preact/hooks';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../../../protocol/index.js';
import { ApiError } from '../../../api/request.js';
import { Field } from '../../../components/Field.js';
import { Notice } from '../../../components/Notice.js';
import { createWebhook } from '../../../stores/webhooks.js';

/** A new subscription: the receiving URL and the events it wants. */
export function WebhookForm(props: { projectId: string; onDone: () => void }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>(['message.created']);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await createWebhook(props.projectId, { url: url.trim(), events });
      props.onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Could not add the webhook');
    } finally {
      setSaving(false);
    }
  }

  const toggle = (type: WebhookEventType) =>
    setEvents(events.includes(type) ? events.filter((t) => t !== type) : [...events, type]);
  return (
    <form class="card form" onSubmit={(e) => void submit(e)} noValidate aria-label="New webhook">
      <h2 class="card-title">New webhook</h2>
      <Notice text={error} />
      <Field
        id="webhook-url"
        label="URL"
        hint="Your server's endpoint; it answers 2xx within 10 s. Redirects are not followed."
      >
        <input
          id="webhook-url"
          class="input"
          type="url"
          placeholder="https://api.example.com/palaver/webhooks"
          value={url}
          onInput={(e) => setUrl(e.currentTarget.value)}
        />
      </Field>
      <fieldset class="field">
        <legend>Events</legend>
        <div class="checks">
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <label key={type} class={events.includes(type) ? 'check is-on' : 'check'}>
              <input
                type="checkbox"
                checked={events.includes(type)}
                onChange={() => toggle(type)}
              />
              <code>{type}</code>
            </label>
          ))}
        </div>
      </fieldset>
      <div class="form-actions">
        <button type="button" class="button button-ghost" onClick={props.onDone}>
          Cancel
        </button>
        <button type="submit" class="button button-primary" disabled={saving}>
          {saving ? 'Adding…' : 'Add webhook'}
        </button>
      </div>
    </form>
  );
}
