import { useStore } from '@nanostores/preact';
import type { ConversationStatus } from '../../protocol/index.js';
import { ConversationRow } from '../components/ConversationRow.js';
import { useNow } from '../lib/use-now.js';
import { $inbox, loadInbox, setInboxStatus, setProjectFilter } from '../stores/inbox.js';
import { $projects } from '../stores/projects.js';
import { $route, navigate } from '../stores/route.js';

const TABS: { status: ConversationStatus; label: string }[] = [
  { status: 'open', label: 'Open' },
  { status: 'closed', label: 'Closed' },
];

/** The conversation list; stays beside an open conversation on wide screens. */
export function Inbox() {
  const inbox = useStore($inbox);
  const projects = useStore($projects);
  const route = useStore($route);
  const now = useNow();
  const list = inbox[inbox.status];
  const activeId = route.name === 'conversation' ? route.id : null;

  function choose(status: ConversationStatus): void {
    setInboxStatus(status);
    if (route.name === 'inbox') navigate({ name: 'inbox', status });
  }

  return (
    <section class="inbox" aria-label="Conversations">
      <header class="inbox-head">
        <h1>Inbox</h1>
        {projects.length > 1 ? (
          <select
            class="select select-small"
            aria-label="Project"
            value={inbox.projectId ?? ''}
            onChange={(e) => setProjectFilter(e.currentTarget.value || null)}
          >
            <option value="">All projects</option>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        ) : null}
      </header>
      <div class="tabs" role="tablist" aria-label="Conversation status">
        {TABS.map((tab) => (
          <button
            key={tab.status}
            type="button"
            role="tab"
            class="tab"
            aria-selected={inbox.status === tab.status}
            onClick={() => choose(tab.status)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div class="inbox-body">
        {list.error ? (
          <div class="notice notice-error" role="alert">
            <span>{list.error}</span>
            <button type="button" class="link-button" onClick={() => void loadInbox(inbox.status)}>
              Try again
            </button>
          </div>
        ) : null}
        {list.items.length > 0 ? (
          <ul class="conv-list">
            {list.items.map((c) => (
              <ConversationRow key={c.id} conversation={c} active={c.id === activeId} now={now} />
            ))}
          </ul>
        ) : list.loaded && !list.loading ? (
          <div class="empty">
            <p class="empty-title">
              {inbox.status === 'open' ? 'No open conversations' : 'No closed conversations'}
            </p>
            <p class="empty-text">
              {inbox.status === 'open'
                ? 'New chats from your site appear here as they arrive.'
                : 'Conversations you close are kept here.'}
            </p>
          </div>
        ) : null}
        {list.loading ? <p class="loading">Loading…</p> : null}
        {list.nextCursor && !list.loading ? (
          <button
            type="button"
            class="button button-ghost load-more"
            onClick={() => void loadInbox(inbox.status, true)}
          >
            Load more
          </button>
        ) : null}
      </div>
    </section>
  );
}
