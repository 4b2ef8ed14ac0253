import { useState } from 'preact/hooks';
import type { EraseResult } from '../../../protocol/index.js';
import { Dialog } from '../../components/Dialog.js';
import { DialogForm } from '../../components/DialogForm.js';
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
  const { label, conversations } = props;

  const their =
    conversations === 0
      ? 'They have no conversations.'
      : `Their ${plural(conversations, 'conversation stays', 'conversations stay')}, marked “Deleted contact”.`;
  return (
    <Dialog id="erase" title={`Delete ${label}?`} onClose={props.onClose}>
      <DialogForm
        ready={typed.trim() === props.externalId}
        confirm="Delete contact"
        running="Deleting…"
        failure="delete the contact"
        onConfirm={async () => {
          props.onErased(await eraseContact(props.projectId, props.externalId, messages));
        }}
        onCancel={props.onClose}
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
      </DialogForm>
    </Dialog>
  );
}
