import type { Conversation } from '../../protocol/index.js';
import { relativeTime } from '../lib/format.js';
import { hrefOf } from '../stores/route.js';
import { Avatar } from './Avatar.js';
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
  /** Shown when the agent works in more than one project. */
  projectName?: string | undefined;
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
        <Avatar label={conversation.visitorLabel} seed={conversation.visitorId} />
        <span class="conv-row-body">
          <span class="conv-row-top">
            <span class="conv-row-label">{conversation.visitorLabel}</span>
            <time class="conv-row-time" dateTime={conversation.lastActivityAt}>
              {relativeTime(conversation.lastActivityAt, props.now)}
            </time>
          </span>
          <span class="conv-row-bottom">
            <span class="conv-row-preview">{preview(conversation)}</span>
            {unread > 0 ? (
              <span class="pill" data-testid="unread">
                <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
                <span class="sr-only">{`, ${unread} unread`}</span>
              </span>
            ) : null}
          </span>
          <span class="conv-row-meta">
            <IdentityBadge identity={conversation.identity} compact />
            {props.projectName ? <span class="conv-row-project">{props.projectName}</span> : null}
          </span>
        </span>
      </a>
    </li>
  );
}
