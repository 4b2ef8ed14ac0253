import { useStore } from '@nanostores/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { setConversationStatus } from '../api/conversations.js';
import { ApiError } from '../api/request.js';
import { Composer } from '../components/Composer.js';
import { IdentityBadge } from '../components/IdentityBadge.js';
import { MessageList } from '../components/MessageList.js';
import { VisitorPanel } from '../components/VisitorPanel.js';
import { retry, sendEphemeral, transmit } from '../realtime/socket.js';
import { $details, loadDetail, updateDetailConversation } from '../stores/details.js';
import { findConversation, markConversationRead, upsertConversation } from '../stores/inbox.js';
import { $outbox, enqueue } from '../stores/outbox.js';
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
          <a class="button" href="#/inbox">
            Back to the inbox
          </a>
        </div>
      </div>
    );
  }

  if (!conversation) return <div class="thread loading">Loading…</div>;

  const closed = conversation.status === 'closed';

  async function toggleStatus(): Promise<void> {
    if (!conversation) return;
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

  return (
    <div class={`conversation${panelOpen ? ' panel-open' : ''}`}>
      <div class="thread">
        <header class="thread-head">
          <a class="back-link" href="#/inbox" aria-label="Back to the inbox">
            ←
          </a>
          <div class="thread-title">
            <h2>{conversation.visitorLabel}</h2>
            <IdentityBadge identity={conversation.identity} />
            {closed ? <span class="status-chip">Closed</span> : null}
          </div>
          <div class="thread-actions">
            <button
              type="button"
              class="button panel-toggle"
              aria-expanded={panelOpen}
              onClick={() => setPanelOpen(!panelOpen)}
            >
              Visitor
            </button>
            <button
              type="button"
              class={closed ? 'button' : 'button button-primary'}
              disabled={busy}
              onClick={() => void toggleStatus()}
            >
              {closed ? 'Reopen' : 'Close'}
            </button>
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
          loadingEarlier={thread?.loadingEarlier ?? false}
          visitorReadSeq={thread?.visitorReadSeq ?? 0}
          visitorLabel={conversation.visitorLabel}
          onLoadEarlier={() => void loadEarlier(id)}
          onRetry={retry}
        />
        <div class="typing" aria-live="polite">
          {typing ? 'Visitor is typing…' : ''}
        </div>
        <Composer
          conversationId={id}
          closed={closed}
          onSend={(body) => transmit(enqueue(id, body))}
          onTyping={(conversationId, isTyping) =>
            sendEphemeral({ type: 'typing', conversationId, isTyping })
          }
        />
      </div>
      {visitor ? <VisitorPanel visitor={visitor} profile={null} /> : null}
    </div>
  );
}
