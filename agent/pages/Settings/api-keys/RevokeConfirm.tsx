import { useState } from 'preact/hooks';
import type { ApiKey } from '../../../../protocol/index.js';
import { failed } from '../../../api/request.js';
import { Notice } from '../../../components/Notice.js';
import { revokeApiKey } from '../../../stores/api-keys.js';

/** Asks before revoking: a revoked key cannot be used again, by anyone, on any server. */
export function RevokeConfirm(props: {
  apiKey: ApiKey;
  onCancel: () => void;
  onRevoked: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = `revoke-${props.apiKey.id}`;

  async function revoke(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await revokeApiKey(props.apiKey.projectId, props.apiKey.id);
      props.onRevoked();
    } catch (e) {
      setError(failed(e, 'revoke the key'));
      setBusy(false);
    }
  }

  return (
    <div class="confirm" role="alertdialog" aria-labelledby={id}>
      <p id={id}>
        <strong>Revoke “{props.apiKey.label}”?</strong> Every request with this key is refused from
        now on, on every server. Whatever uses it stops working until it gets a new key. This cannot
        be undone.
      </p>
      <Notice text={error} />
      <div class="confirm-actions">
        <button type="button" class="button" onClick={props.onCancel}>
          Keep key
        </button>
        <button
          type="button"
          class="button button-danger-solid"
          disabled={busy}
          onClick={() => void revoke()}
        >
          {busy ? 'Revoking…' : 'Revoke key'}
        </button>
      </div>
    </div>
  );
}
