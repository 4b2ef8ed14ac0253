import { Icon } from './Icon.js';

/** The sticky bar under a settings form: what is unsaved or just saved, and the Save button. */
export function SaveBar({
  saved,
  dirty,
  saving,
}: {
  saved: boolean;
  dirty: boolean;
  saving: boolean;
}) {
  return (
    <div class="save-bar">
      <span class={saved ? 'saved' : 'unsaved'} role="status">
        {saved ? (
          <>
            <Icon name="check" size={14} /> Changes saved
          </>
        ) : dirty ? (
          'You have unsaved changes'
        ) : (
          ''
        )}
      </span>
      <button type="submit" class="button button-primary" disabled={saving || !dirty}>
        {saving ? 'Saving…' : 'Save changes'}
      </button>
    </div>
  );
}
