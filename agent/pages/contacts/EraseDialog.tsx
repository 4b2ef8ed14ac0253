import { useState } from 'preact/hooks';
import type { EraseResult } from '../../../protocol/index.js';
import { ApiError } from '../../api/request.js';
import { Dialog } from '../../components/Dialog.js';
import { eraseContact } from '../../stores/contact.js';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Says exactly what erasing does, and goes ahead only once the admin typed the contact's id:
 * nothing of the profile can be brought back.
 */
export function EraseDialog(props: {
  projectId: string;
  externalId: string;
  label: string;
  conversations: number;
  onClose: () => void;
  onErased: (result: EraseResult) => void;
}) {
  const [typed, setTyped] = useState('');
  const [messages, setMessages] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { label, conversations } = props;
  const confirmed = typed.trim() === props.externalId;

  async function erase(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      props.onErased(await eraseContact(props.projectId, props.externalId, messages));
    } catch (e) {
      setBusy(false);
      setError(e instanceof ApiError ? e.message : 'Could not delete the contact; try again');
    }
  }

  const their =
    conversations === 0
      ? 'They have no conversations.'
      : `Their ${plural(conversations, 'conversation stays', 'conversations stay')}, marked “Deleted contact”.`;
  return (
    <Dialog id="erase" title={`Delete ${label}?`} onClose={props.onClose}>
      <form
        class="dialog-body"
        onSubmit={(e) => {
          e.preventDefault();
          if (confirmed && !busy) void erase();
        }}
      >
        <p data-testid="erase-summary">
          {`Erases ${label}'s profile, properties and identity data. ${their}`}
        </p>
        {conversations > 0 ? (
          <label class="check-row">
            <input
              type="checkbox"
              checked={messages}
              onChange={(e) => setMessages(e.currentTarget.checked)}
            />
            <span>Also erase the messages of those conversations</span>
          </label>
        ) : null}
        <p class="strong danger-text">This cannot be undone.</p>
        <div class="field">
          <label for="erase-confirm">
            Type <code>{props.externalId}</code> to confirm
          </label>
          <input
            id="erase-confirm"
            autoFocus
            class="input input-mono"
            autoComplete="off"
            spellcheck={false}
            value={typed}
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
        </div>
        {error ? (
          <p class="notice notice-error" role="alert">
            {error}
          </p>
        ) : null}
        <div class="dialog-actions">
          <button type="button" class="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="button button-danger-solid" disabled={!confirmed || busy}>
            {busy ? 'Deleting…' : 'Delete contact'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
