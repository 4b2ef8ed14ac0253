import { useStore } from '@nanostores/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { setConversationStatus } from '../api/conversations.js';
import { ApiError } from '../api/request.js';
import { ProfileAvatar } from '../components/Avatar.js';
import { Composer } from '../components/Composer.js';
import { Icon } from '../components/Icon.js';
import { IdentityBadge } from '../components/IdentityBadge.js';
import { MessageList } from '../components/MessageList.js';
import { profileName } from '../components/ProfileFields.js';
import { VisitorPanel } from '../components/VisitorPanel.js';
import { shortUrl } from '../lib/format.js';
import { retry, sendEphemeral, transmit } from '../realtime/socket.js';
import { $details, loadDetail, updateDetailConversation } from '../stores/details.js';
import { findConversation, markConversationRead, upsertConversation } from '../stores/inbox.js';
import { $outbox, enqueue } from '../stores/outbox.js';
import { hrefOf } from '../stores/route.js';
import { $threads, loadEarlier, loadThread } from '../stores/threads.js';
import { $visitorTyping } from '../stores/typing.js';

/** Re-renders when the tab is shown/hidden or gains/loses focus: read receipts depend on it. */
function useAttention(): boolean {
  const check = () => document.visibilityState === 'visible' && document.hasFocus();
  const [attentive, setAttentive] = useState(check);
  useEffect(() => {
    const update = () => setAttentive(check());
    document.addEventListener('visibilitychange', update);
    addEventListener('focus', update);
    addEventListener('blur', update);
    return () => {
      document.removeEventListener('visibilitychange', update);
      removeEventListener('focus', update);
      removeEventListener('blur', update);
    };
  }, []);
  return attentive;
}

export function ConversationPage({ id }: { id: string }) {
  const entry = useStore($details)[id];
  const thread = useStore($threads)[id];
  const outbox = useStore($outbox);
  const typing = useStore($visitorTyping)[id] ?? false;
  const attentive = useAttention();
  const [panelOpen, setPanelOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const readSent = useRef(0);
  const panelToggle = useRef<HTMLButtonElement>(null);

  function togglePanel(open: boolean): void {
    setPanelOpen(open);
    // The overlay panel takes focus while open and gives it back when it closes.
    requestAnimationFrame(() => {
      if (open) document.querySelector<HTMLElement>('.visitor-close')?.focus();
      else panelToggle.current?.focus();
    });
  }

  useEffect(() => {
    readSent.current = 0;
    setActionError(null);
    void loadDetail(id);
    if (!$threads.get()[id]) void loadThread(id);
  }, [id]);

  const lastSeq = thread?.messages.at(-1)?.seq ?? 0;
  useEffect(() => {
    if (!attentive || lastSeq === 0 || lastSeq <= readSent.current) return;
    readSent.current = lastSeq;
    sendEphemeral({ type: 'read', conversationId: id, seq: lastSeq });
    markConversationRead(id, lastSeq);
  }, [id, lastSeq, attentive]);

  const conversation = entry?.detail?.conversation ?? findConversation(id);
  const visitor = entry?.detail?.visitor;

  if (entry?.error && !entry.detail) {
    return (
      <div class="thread thread-missing">
        <div class="empty">
          <p class="empty-title">
            {entry.error.code === 'not_found' ? 'Conversation not found' : 'Could not load'}
          </p>
          <p class="empty-text">
            {entry.error.code === 'not_found'
              ? 'It does not exist, or it belongs to a project you are not part of.'
              : entry.error.message}
          </p>
          <a class="button" href={hrefOf({ name: 'inbox', status: 'open' })}>
            Back to the inbox
          </a>
        </div>
      </div>
    );
  }

  if (!conversation) {
    return (
      <div class="thread">
        <p class="loading">Loading…</p>
      </div>
    );
  }

  const closed = conversation.status === 'closed';

  async function toggleStatus(): Promise<void> {
    setBusy(true);
    setActionError(null);
    try {
      const updated = await setConversationStatus(id, closed ? 'reopen' : 'close');
      upsertConversation(updated);
      updateDetailConversation(updated);
    } catch (error) {
      setActionError(error instanceof ApiError ? error.message : 'Something went wrong');
    } finally {
      setBusy(false);
    }
  }

  const label = conversation.visitorLabel;
  const contact = entry?.detail?.contact ?? null;
  const name = profileName(contact?.profile) ?? label;
  return (
    <div class={`conversation${panelOpen ? ' panel-open' : ''}`}>
      <section class="thread" aria-labelledby="thread-title">
        <header class="thread-head">
          <a
            class="icon-button back-link"
            href={hrefOf({ name: 'inbox', status: 'open' })}
            aria-label="Back to the inbox"
          >
            <Icon name="back" />
          </a>
          <ProfileAvatar
            label={name}
            seed={conversation.visitorId}
            src={contact?.profile?.avatarUrl ?? null}
          />
          <div class="thread-title">
            <div class="thread-title-line">
              <h2 id="thread-title">{name}</h2>
              {visitor?.erasedAt ? (
                <span class="erased-chip">Deleted contact</span>
              ) : (
                <IdentityBadge identity={contact?.identity ?? conversation.identity} compact />
              )}
              {closed ? <span class="status-chip">Closed</span> : null}
            </div>
            <p class="thread-sub">
              {name !== label ? <>{label} · </> : null}
              {visitor?.pageUrl ? <>On {shortUrl(visitor.pageUrl)}</> : 'Website chat'}
              {visitor?.browser ? <> · {visitor.browser}</> : null}
            </p>
          </div>
          <div class="thread-actions">
            <button
              ref={panelToggle}
              type="button"
              class="button panel-toggle"
              aria-expanded={panelOpen}
              aria-controls="visitor-panel"
              onClick={() => togglePanel(!panelOpen)}
            >
              <Icon name="panel" size={14} />
              <span class="button-label">Details</span>
            </button>
            {closed ? (
              <button
                type="button"
                class="button"
                title="Reopen this conversation"
                disabled={busy}
                onClick={() => void toggleStatus()}
              >
                <Icon name="rotate" size={14} />
                <span class="button-label">Reopen</span>
              </button>
            ) : (
              <button
                type="button"
                class="button button-success"
                title="Close this conversation"
                disabled={busy}
                onClick={() => void toggleStatus()}
              >
                <Icon name="check" size={14} />
                <span class="button-label">Close</span>
              </button>
            )}
          </div>
        </header>
        {actionError ? (
          <div class="notice notice-error thread-notice" role="alert">
            {actionError}
          </div>
        ) : null}
        {thread?.error ? (
          <div class="notice notice-error thread-notice" role="alert">
            <span>{thread.error}</span>
            <button type="button" class="link-button" onClick={() => void loadThread(id)}>
              Try again
            </button>
          </div>
        ) : null}
        <MessageList
          messages={thread?.messages ?? []}
          pending={outbox.filter((p) => p.conversationId === id)}
          hasMore={thread?.hasMore ?? false}
          loading={thread?.loading ?? true}
          loadingEarlier={thread?.loadingEarlier ?? false}
          visitorReadSeq={thread?.visitorReadSeq ?? 0}
          visitorLabel={name}
          visitorId={conversation.visitorId}
          typing={typing}
          onLoadEarlier={() => void loadEarlier(id)}
          onRetry={retry}
        />
        <p class="sr-only" aria-live="polite" data-testid="typing">
          {typing ? `${name} is typing…` : ''}
        </p>
        <Composer
          conversationId={id}
          closed={closed}
          recipient={name}
          busy={busy}
          onReopen={() => void toggleStatus()}
          onSend={(body) => transmit(enqueue(id, body))}
          onTyping={(conversationId, isTyping) =>
            sendEphemeral({ type: 'typing', conversationId, isTyping })
          }
        />
      </section>
      <div
        class="visitor-panel-slot"
        id="visitor-panel"
        onKeyDown={(e) => {
          if (panelOpen && e.key === 'Escape') togglePanel(false);
        }}
      >
        {visitor ? (
          <VisitorPanel
            conversationId={id}
            visitor={visitor}
            label={label}
            contact={contact}
            onClose={() => togglePanel(false)}
          />
        ) : null}
      </div>
    </div>
  );
}
