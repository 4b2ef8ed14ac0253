import { useStore } from '@nanostores/preact';
import { useEffect, useRef } from 'preact/hooks';
import type { VisitorSession } from '../../panel-contract.js';
import type { Chat } from '../chat.js';
import { $agentsOnline, $connection } from '../stores/connection.js';
import { $unread } from '../stores/unread.js';
import { Composer } from './Composer.js';
import { MessageList } from './MessageList.js';

interface Props {
  chat: Chat;
  session: VisitorSession;
  open: boolean;
  onClose: () => void;
}

export function Panel({ chat, session, open, onClose }: Props) {
  const connection = useStore($connection);
  const agentsOnline = useStore($agentsOnline);
  const unread = useStore($unread);
  const input = useRef<HTMLTextAreaElement | null>(null);
  const { project } = session;
  // Presence is only known while connected: a stale count must not promise a quick reply.
  const staffed = connection === 'online' && agentsOnline > 0;

  useEffect(() => {
    if (!open) return;
    input.current?.focus();
    chat.markRead();
  }, [open]);

  if (!open) {
    // The launcher belongs to the loader; its unread badge is drawn here, where unread is known.
    return unread > 0 ? (
      <span class="pv-b" aria-hidden="true">
        {unread > 9 ? '9+' : unread}
      </span>
    ) : null;
  }

  return (
    <section
      class="pv-panel"
      role="dialog"
      aria-label={`Chat with ${project.name}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header class="pv-head">
        <div>
          <h2>{project.name}</h2>
          <p>
            <span class={`pv-dot ${staffed ? 'pv-on' : ''}`} aria-hidden="true" />
            {staffed
              ? 'We are online and usually reply in minutes'
              : 'Leave a message — we reply here'}
          </p>
        </div>
        <button type="button" class="pv-close" aria-label="Close chat" onClick={onClose}>
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M6 6l12 12M18 6L6 18" />
          </svg>
        </button>
      </header>
      {connection !== 'online' && (
        <p class="pv-status" role="status">
          {connection === 'connecting'
            ? 'Connecting…'
            : 'Offline — your messages will be sent when the connection is back'}
        </p>
      )}
      <MessageList
        greeting={project.widget.greeting}
        teamName={project.name}
        locale={session.locale}
        onRetry={(id) => chat.retry(id)}
        onLoadEarlier={() => chat.loadEarlier()}
      />
      <Composer onSend={(text) => chat.send(text)} onTyping={() => chat.typed()} inputRef={input} />
    </section>
  );
}
