import type { ContactConversation } from '../../../protocol/index.js';
import { dateTime, relativeTime } from '../../lib/format.js';
import { hrefOf } from '../../stores/route.js';

/** The contact's conversations, newest first, each a link to the thread. */
export function ContactConversations(props: { conversations: ContactConversation[]; now: number }) {
  if (props.conversations.length === 0) {
    return <p class="muted">No conversations: this person has not chatted yet.</p>;
  }
  const sorted = [...props.conversations].sort((a, b) =>
    b.lastActivityAt.localeCompare(a.lastActivityAt),
  );
  return (
    <ul class="contact-convs">
      {sorted.map((c) => (
        <li key={c.id}>
          <a class="contact-conv" href={hrefOf({ name: 'conversation', id: c.id })}>
            <span class="contact-conv-line">
              <span class={c.status === 'open' ? 'state state-on' : 'state state-off'}>
                {c.status === 'open' ? 'Open' : 'Closed'}
              </span>
              <time class="muted" dateTime={c.lastActivityAt} title={dateTime(c.lastActivityAt)}>
                {relativeTime(c.lastActivityAt, props.now)}
              </time>
            </span>
            <span class="contact-conv-body ellipsis">
              {c.lastMessageBody ?? <span class="muted">No messages</span>}
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}
