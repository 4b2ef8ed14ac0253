import { useState } from 'preact/hooks';
import type { SigningSecret } from '../../../../protocol/index.js';
import { ApiError } from '../../../api/request.js';
import { Dialog } from '../../../components/Dialog.js';
import { rotateSigningSecret } from '../../../stores/signing-secrets.js';

const GRACE_CHOICES: { hours: number; label: string }[] = [
  { hours: 0, label: 'Stop at once' },
  { hours: 1, label: 'For 1 hour' },
  { hours: 24, label: 'For 24 hours' },
  { hours: 72, label: 'For 3 days' },
  { hours: 168, label: 'For 7 days' },
];

/**
 * Asks before rotating, and how long the current secret keeps signing next to the new one. A
 * secret nobody was shown stops at once (the server does the same), so there is nothing to ask.
 */
export function RotateDialog(props: {
  projectId: string;
  current: SigningSecret;
  onClose: () => void;
  onRotated: (secret: string) => void;
}) {
  const [grace, setGrace] = useState(24);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function rotate(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const hours = props.current.shown ? grace : 0;
      props.onRotated(await rotateSigningSecret(props.projectId, hours));
    } catch (e) {
      setBusy(false);
      setError(e instanceof ApiError ? e.message : 'Could not rotate the secret; try again');
    }
  }

  return (
    <Dialog id="rotate-signing" title="Rotate the signing secret?" onClose={props.onClose}>
      <form
        class="dialog-body"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void rotate();
        }}
      >
        <p>
          Palaver makes a new secret and signs every request with it from now on. You will see it
          once: put it on the servers that verify Palaver’s requests.
        </p>
        {props.current.shown ? (
          <>
            <label class="grace-field" for="signing-grace">
              Keep signing with the current secret too
              <select
                id="signing-grace"
                class="select select-small"
                value={String(grace)}
                onChange={(e) => setGrace(Number(e.currentTarget.value))}
              >
                {GRACE_CHOICES.map((c) => (
                  <option key={c.hours} value={String(c.hours)}>
                    {c.label}
                  </option>
                ))}
              </select>
            </label>
            <p class="muted">
              Meanwhile each request carries both signatures, so a server still holding{' '}
              <code>{props.current.prefix}…</code> keeps accepting them.
            </p>
          </>
        ) : (
          <p class="muted">
            The current secret, <code>{props.current.prefix}…</code>, was made by Palaver and never
            shown, so no server can be verifying with it: it stops at once.
          </p>
        )}
        {error ? (
          <p class="notice notice-error" role="alert">
            {error}
          </p>
        ) : null}
        <div class="dialog-actions">
          <button type="button" class="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Rotating…' : 'Rotate secret'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
