import { useState } from 'preact/hooks';
import {
  SIGNING_GRACE_HOURS_DEFAULT,
  SIGNING_GRACE_HOURS_MAX,
  type SigningSecret,
} from '../../../../protocol/index.js';
import { Dialog } from '../../../components/Dialog.js';
import { DialogForm } from '../../../components/DialogForm.js';
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

  return (
    <Dialog id="rotate-signing" title="Rotate the signing secret?" onClose={props.onClose}>
      <DialogForm
        ready
        tone="primary"
        confirm="Rotate secret"
        running="Rotating…"
        failure="rotate the secret"
        onConfirm={async () => {
          const hours = props.current.shown ? grace : 0;
          props.onRotated(await rotateSigningSecret(props.projectId, hours));
        }}
        onCancel={props.onClose}
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
      </DialogForm>
    </Dialog>
  );
}
