import { useStore } from '@nanostores/preact';
import { useRef, useState } from 'preact/hooks';
import { isBlankText } from '../../../protocol/text.js';
import { $draft } from '../stores/draft.js';

interface Props {
  onSend: (text: string) => string | null;
  onTyping: () => void;
  inputRef: { current: HTMLTextAreaElement | null };
}

/** Enter sends, Shift+Enter starts a new line; the draft survives closing the panel. */
export function Composer({ onSend, onTyping, inputRef }: Props) {
  const text = useStore($draft);
  const [error, setError] = useState<string | null>(null);
  const composing = useRef(false);

  function submit(): void {
    const problem = onSend($draft.get());
    setError(problem);
    if (!problem) $draft.set('');
    inputRef.current?.focus();
  }

  return (
    <form
      class="pv-composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {error && (
        <p class="pv-error" role="alert">
          {error}
        </p>
      )}
      <div class="pv-row">
        <textarea
          ref={inputRef}
          rows={1}
          value={text}
          aria-label="Message"
          placeholder="Write a message…"
          onCompositionStart={() => (composing.current = true)}
          onCompositionEnd={() => (composing.current = false)}
          onInput={(e) => {
            $draft.set(e.currentTarget.value);
            onTyping();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !composing.current) {
              e.preventDefault();
              submit();
            }
          }}
        />
        <button
          type="submit"
          class="pv-send"
          aria-label="Send message"
          disabled={isBlankText(text)}
        >
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M4 12l16-8-6 16-2-7z" />
          </svg>
        </button>
      </div>
    </form>
  );
}
