import { useEffect, useRef, useState } from 'preact/hooks';
import { isBlankText, MESSAGE_MAX_LENGTH } from '../../protocol/index.js';
import { draftOf, saveDraft } from '../stores/drafts.js';
import { Icon } from './Icon.js';

interface ComposerProps {
  conversationId: string;
  closed: boolean;
  /** Who the reply goes to, for the placeholder. */
  recipient: string;
  onSend: (body: string) => void;
  onTyping: (conversationId: string, isTyping: boolean) => void;
  onReopen: () => void;
  busy: boolean;
}

/** "Typing" is re-announced at most this often while the agent keeps typing. */
export const TYPING_THROTTLE_MS = 3000;
/** Silence after which the agent counts as no longer typing. */
export const TYPING_IDLE_MS = 4000;

export function Composer(props: ComposerProps) {
  const { conversationId, closed, onSend, onTyping } = props;
  const [text, setText] = useState(() => draftOf(conversationId));
  const input = useRef<HTMLTextAreaElement>(null);
  const lastTypingSent = useRef(0);
  /** Where "typing" was announced, so "stopped" goes there even after switching threads. */
  const typingIn = useRef<string | null>(null);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const typingCallback = useRef(onTyping);
  typingCallback.current = onTyping;

  function stopTyping(): void {
    clearTimeout(idleTimer.current);
    lastTypingSent.current = 0;
    if (typingIn.current !== null) {
      typingCallback.current(typingIn.current, false);
      typingIn.current = null;
    }
  }

  // Leaving the conversation must not leave the visitor watching "Agent is typing…".
  useEffect(() => {
    setText(draftOf(conversationId));
    return stopTyping;
  }, [conversationId]);

  function onInput(value: string): void {
    setText(value);
    saveDraft(conversationId, value);
    if (isBlankText(value)) {
      stopTyping();
      return;
    }
    const now = Date.now();
    if (now - lastTypingSent.current >= TYPING_THROTTLE_MS) {
      lastTypingSent.current = now;
      typingIn.current = conversationId;
      onTyping(conversationId, true);
    }
    clearTimeout(idleTimer.current);
    idleTimer.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  }

  function submit(): void {
    const body = text.trim();
    if (isBlankText(body) || closed || body.length > MESSAGE_MAX_LENGTH) return;
    stopTyping();
    onSend(body);
    saveDraft(conversationId, '');
    setText('');
    input.current?.focus();
  }

  if (closed) {
    return (
      <div class="composer composer-closed">
        <p>This conversation is closed.</p>
        <button
          type="button"
          class="button button-small"
          disabled={props.busy}
          onClick={props.onReopen}
        >
          <Icon name="rotate" size={14} />
          Reopen to reply
        </button>
      </div>
    );
  }

  const tooLong = text.length > MESSAGE_MAX_LENGTH;
  const nearLimit = text.length > MESSAGE_MAX_LENGTH - 500;
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div class={tooLong ? 'composer-box is-over' : 'composer-box'}>
        <label class="sr-only" for={`reply-${conversationId}`}>
          Reply to {props.recipient}
        </label>
        <textarea
          ref={input}
          id={`reply-${conversationId}`}
          class="composer-input"
          placeholder={`Reply to ${props.recipient}…`}
          rows={2}
          value={text}
          aria-describedby={`reply-hint-${conversationId}`}
          onInput={(e) => onInput(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
        />
        <div class="composer-bar">
          <span class="composer-hint" id={`reply-hint-${conversationId}`}>
            <kbd>Enter</kbd> to send · <kbd>Shift</kbd> + <kbd>Enter</kbd> for a new line
          </span>
          {nearLimit ? (
            <span class={tooLong ? 'composer-count is-over' : 'composer-count'}>
              {text.length} / {MESSAGE_MAX_LENGTH}
            </span>
          ) : null}
          <button
            type="submit"
            class="button button-primary"
            disabled={isBlankText(text) || tooLong}
          >
            Send
            <Icon name="send" size={14} />
          </button>
        </div>
      </div>
    </form>
  );
}
