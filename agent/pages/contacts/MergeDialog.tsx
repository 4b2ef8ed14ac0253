import { useRef, useState } from 'preact/hooks';
import type { Contact, MergeResult } from '../../../protocol/index.js';
import { fetchContacts } from '../../api/contacts.js';
import { ApiError } from '../../api/request.js';
import { Dialog } from '../../components/Dialog.js';
import { DialogForm } from '../../components/DialogForm.js';
import { useDebouncedSearch } from '../../lib/use-debounced-search.js';
import { mergeIntoContact } from '../../stores/contact.js';
import { contactLabel } from './names.js';

const PICKS = 6;

/** The other contact: found by search, or typed as the site's id. */
function useContactPicker(projectId: string, exclude: string) {
  const [matches, setMatches] = useState<Contact[]>([]);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Contact | null>(null);
  // Only the newest search may show its answer.
  const latest = useRef(0);
  const search = useDebouncedSearch('', (q) => {
    const mine = ++latest.current;
    if (!q.trim()) {
      setMatches([]);
      return;
    }
    fetchContacts({ projectId, q: q.trim(), limit: PICKS + 1 })
      .then((page) => {
        if (mine !== latest.current) return;
        setSearchError(null);
        setMatches(page.data.filter((c) => c.externalId !== exclude).slice(0, PICKS));
      })
      .catch((e: unknown) => {
        if (mine !== latest.current) return;
        setMatches([]);
        setSearchError(e instanceof ApiError ? e.message : 'Could not search contacts');
      });
  });
  return {
    text: search.text,
    type(text: string) {
      setChosen(null);
      search.input(text);
    },
    matches,
    searchError,
    chosen,
    setChosen,
  };
}

/**
 * Merges another contact into this one after saying what that means; the admin finds the other
 * one by search or types its id.
 */
export function MergeDialog(props: {
  projectId: string;
  externalId: string;
  label: string;
  onClose: () => void;
  onMerged: (result: MergeResult, otherLabel: string) => void;
}) {
  const picker = useContactPicker(props.projectId, props.externalId);
  const from = picker.chosen?.externalId ?? picker.text.trim();
  const other = picker.chosen ? contactLabel(picker.chosen) : from;

  return (
    <Dialog id="merge" title={`Merge another contact into ${props.label}`} onClose={props.onClose}>
      <DialogForm
        ready={from !== '' && from !== props.externalId}
        confirm="Merge"
        running="Merging…"
        failure="merge the contacts"
        onConfirm={async () => {
          props.onMerged(await mergeIntoContact(props.projectId, props.externalId, from), other);
        }}
        onCancel={props.onClose}
      >
        <div class="field">
          <label for="merge-other">Other contact</label>
          <input
            id="merge-other"
            class="input"
            type="search"
            autoComplete="off"
            aria-describedby="merge-other-hint"
            value={picker.text}
            onInput={(e) => picker.type(e.currentTarget.value)}
          />
          <p class="field-hint" id="merge-other-hint">
            Search by name, email or id, or type the other contact's id.
          </p>
        </div>
        {picker.searchError ? <p class="field-error">{picker.searchError}</p> : null}
        {picker.matches.length > 0 ? (
          <ul class="picker" aria-label="Matching contacts">
            {picker.matches.map((c) => (
              <li key={c.externalId}>
                <button
                  type="button"
                  class="picker-item"
                  aria-pressed={picker.chosen?.externalId === c.externalId}
                  onClick={() => picker.setChosen(c)}
                >
                  <span class="strong ellipsis">{contactLabel(c)}</span>
                  <span class="muted ellipsis">
                    {[c.email, c.externalId].filter(Boolean).join(' · ')}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        {from === props.externalId ? (
          <p class="field-error">A contact cannot be merged into itself; pick another one.</p>
        ) : from ? (
          <p class="merge-explain" data-testid="merge-summary">
            {`${other} will be merged into ${props.label}: this contact's values win conflicts, properties are combined, ${other}'s conversations move here, and ${other} is deleted. This cannot be undone.`}
          </p>
        ) : null}
      </DialogForm>
    </Dialog>
  );
}
