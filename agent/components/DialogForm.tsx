import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { failed } from '../api/request.js';
import { Notice } from './Notice.js';

/**
 * The form inside a Dialog that confirms one change: its fields, then the error of
 * the last try, Cancel and the confirming button, which says so while the change runs. The
 * change's caller closes the dialog when it succeeds; a failure is shown and may be tried again.
 */
export function DialogForm(props: {
  /** Whether what the form holds may be confirmed now. */
  ready: boolean;
  /** The confirming button, as it reads at rest and while the change runs. */
  confirm: string;
  running: string;
  /** A destructive change (the default) confirms with a red button. */
  tone?: 'danger' | 'primary';
  /** What failed, said as "Could not {failure}; try again" when the server gives no message. */
  failure: string;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
  children: ComponentChildren;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
    } catch (e) {
      setBusy(false);
      setError(failed(e, props.failure));
    }
  }

  return (
    <form
      class="dialog-body"
      onSubmit={(e) => {
        e.preventDefault();
        if (props.ready && !busy) void confirm();
      }}
    >
      {props.children}
      <Notice text={error} />
      <div class="dialog-actions">
        <button type="button" class="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button
          type="submit"
          class={`button ${props.tone === 'primary' ? 'button-primary' : 'button-danger-solid'}`}
          disabled={!props.ready || busy}
        >
          {busy ? props.running : props.confirm}
        </button>
      </div>
    </form>
  );
}
