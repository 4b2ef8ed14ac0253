import { useEffect, useRef, useState } from 'preact/hooks';
import { MESSAGE_MAX_LENGTH } from '../../protocol/index.js';

interface ComposerProps {
  conversationId: string;
  closed: boolean;
  onSend: (body: string) => void;
  onTyping: (conversationId: string, isTyping: boolean) => void;
}

/** "Typing" is re-announced at most this often while the agent keeps typing. */
export const TYPING_THROTTLE_MS = 3000;
/** Silence after which the agent counts as no longer typing. */
export const TYPING_IDLE_MS = 4000;

export function Composer({ conversationId, closed, onSend, onTyping }: ComposerProps) {
  const [text, setText] = useState('');
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
    setText('');
    return stopTyping;
  }, [conversationId]);

  function onInput(value: string): void {
    setText(value);
    if (!value.trim()) {
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
    if (!body || closed || body.length > MESSAGE_MAX_LENGTH) return;
    stopTyping();
    onSend(body);
    setText('');
  }

  if (closed) {
    return (
      <div class="composer composer-closed">
        <p>This conversation is closed. Reopen it to reply.</p>
      </div>
    );
  }

  const tooLong = text.length > MESSAGE_MAX_LENGTH;
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <textarea
        class="composer-input"
        aria-label="Reply"
        placeholder="Write a reply… (Enter to send, Shift+Enter for a new line)"
        rows={3}
        value={text}
        onInput={(e) => onInput(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <div class="composer-bar">
        <span class={tooLong ? 'composer-count is-over' : 'composer-count'}>
          {text.length > MESSAGE_MAX_LENGTH - 500 ? `${text.length} / ${MESSAGE_MAX_LENGTH}` : ''}
        </span>
        <button type="submit" class="button button-primary" disabled={!text.trim() || tooLong}>
          Send
        </button>
      </div>
    </form>
  );
}
