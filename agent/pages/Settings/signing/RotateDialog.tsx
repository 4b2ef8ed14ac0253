import { useState } from 'preact/hooks';
import {
  SIGNING_GRACE_HOURS_DEFAULT,
  SIGNING_GRACE_HOURS_MAX,
  type SigningSecret,
} from '../../../../protocol/index.js';
import { ApiError } from '../../../api/request.js';
import { Dialog } from '../../../components/Dialog.js';
import { GraceField } from '../../../components/GraceField.js';
import { rotateSigningSecret } from '../../../stores/signing-secrets.js';

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
  const [grace, setGrace] = useState(SIGNING_GRACE_HOURS_DEFAULT);
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
            <GraceField
              id="signing-grace"
              label="Keep signing with the current secret too"
              maxHours={SIGNING_GRACE_HOURS_MAX}
              hours={grace}
              onChange={setGrace}
            />
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
