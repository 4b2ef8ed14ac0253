import { useStore } from '@nanostores/preact';
import type { ConversationStatus } from '../../protocol/index.js';
import { ConversationRow } from '../components/ConversationRow.js';
import { Icon } from '../components/Icon.js';
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
  const unreadOpen = inbox.open.items.reduce((sum, c) => sum + c.unreadForAgents, 0);
  const projectName = (id: string) =>
    projects.length > 1 ? (projects.find((p) => p.id === id)?.name ?? id) : undefined;

  function choose(status: ConversationStatus, focus = false): void {
    setInboxStatus(status);
    if (route.name === 'inbox') navigate({ name: 'inbox', status });
    if (focus) document.getElementById(`tab-${status}`)?.focus();
  }

  return (
    <section class="inbox" aria-labelledby="inbox-title">
      <header class="inbox-head">
        <h1 id="inbox-title">Inbox</h1>
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
      <div
        class="tabs"
        role="tablist"
        aria-label="Conversation status"
        onKeyDown={(e) => {
          if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
            e.preventDefault();
            choose(inbox.status === 'open' ? 'closed' : 'open', true);
          }
        }}
      >
        {TABS.map((tab) => {
          const selected = inbox.status === tab.status;
          return (
            <button
              key={tab.status}
              id={`tab-${tab.status}`}
              type="button"
              role="tab"
              class="tab"
              aria-selected={selected}
              aria-controls="inbox-panel"
              tabIndex={selected ? 0 : -1}
              onClick={() => choose(tab.status)}
            >
              {tab.label}
              {tab.status === 'open' && unreadOpen > 0 ? (
                <span class="tab-count">
                  <span aria-hidden="true">{unreadOpen > 99 ? '99+' : unreadOpen}</span>
                  <span class="sr-only">{`, ${unreadOpen} unread`}</span>
                </span>
              ) : null}
            </button>
          );
        })}
      </div>
      <div
        class="inbox-body"
        id="inbox-panel"
        role="tabpanel"
        aria-labelledby={`tab-${inbox.status}`}
      >
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
              <ConversationRow
                key={c.id}
                conversation={c}
                active={c.id === activeId}
                now={now}
                projectName={projectName(c.projectId)}
              />
            ))}
          </ul>
        ) : list.loaded && !list.loading ? (
          <div class="empty">
            <span class="empty-icon">
              <Icon name={inbox.status === 'open' ? 'chat' : 'check'} size={22} />
            </span>
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
        {list.loading && list.items.length === 0 ? <SkeletonRows /> : null}
        {list.loading && list.items.length > 0 ? <p class="loading">Loading…</p> : null}
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

function SkeletonRows() {
  return (
    <ul class="conv-list" aria-label="Loading conversations">
      {[0, 1, 2, 3].map((i) => (
        <li key={i} class="skeleton-row" aria-hidden="true">
          <span class="skeleton skeleton-avatar" />
          <span class="skeleton-lines">
            <span class="skeleton skeleton-line" />
            <span class="skeleton skeleton-line skeleton-short" />
          </span>
        </li>
      ))}
    </ul>
  );
}
