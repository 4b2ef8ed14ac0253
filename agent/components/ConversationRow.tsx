import type { Conversation } from '../../protocol/index.js';
import { relativeTime } from '../lib/format.js';
import { hrefOf } from '../stores/route.js';
import { IdentityBadge } from './IdentityBadge.js';

function preview(conversation: Conversation): string {
  const last = conversation.lastMessage;
  if (!last) return 'No messages yet';
  const prefix = last.authorKind === 'agent' ? 'You: ' : '';
  return prefix + last.body.replace(/\s+/g, ' ');
}

export function ConversationRow(props: {
  conversation: Conversation;
  active: boolean;
  now: number;
}) {
  const { conversation, active } = props;
  const unread = conversation.unreadForAgents;
  return (
    <li>
      <a
        class={`conv-row${active ? ' is-active' : ''}${unread > 0 ? ' is-unread' : ''}`}
        href={hrefOf({ name: 'conversation', id: conversation.id })}
        aria-current={active ? 'page' : undefined}
        data-testid="conversation-row"
      >
        <span class="conv-row-top">
          <span class="conv-row-label">{conversation.visitorLabel}</span>
          <time class="conv-row-time" dateTime={conversation.lastActivityAt}>
            {relativeTime(conversation.lastActivityAt, props.now)}
          </time>
        </span>
        <span class="conv-row-bottom">
          <span class="conv-row-preview">{preview(conversation)}</span>
          {unread > 0 ? (
            <span class="pill" aria-label={`${unread} unread`}>
              {unread > 99 ? '99+' : unread}
            </span>
          ) : null}
        </span>
        <span class="conv-row-meta">
          <IdentityBadge identity={conversation.identity} />
        </span>
      </a>
    </li>
  );
}
