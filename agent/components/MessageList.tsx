import { Fragment } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Message } from '../../protocol/index.js';
import { clockTime, dayKey, dayLabel } from '../lib/format.js';
import type { PendingMessage } from '../stores/outbox.js';
import { Avatar } from './Avatar.js';

interface MessageListProps {
  messages: Message[];
  pending: PendingMessage[];
  hasMore: boolean;
  loading: boolean;
  loadingEarlier: boolean;
  visitorReadSeq: number;
  visitorLabel: string;
  visitorId: string;
  /** The visitor is typing right now. */
  typing: boolean;
  onLoadEarlier: () => void;
  onRetry: (pending: PendingMessage) => void;
}

/** Consecutive messages by one author within this gap share one name/time line. */
const GROUP_GAP_MS = 5 * 60_000;
/** How close to the bottom counts as "reading the latest", so new messages scroll into view. */
const STICKY_PX = 120;

function authorName(message: Message, visitorLabel: string): string {
  if (message.author.kind === 'visitor') return visitorLabel;
  return message.author.name ?? 'Agent';
}

export function MessageList(props: MessageListProps) {
  const { messages, pending } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const firstSeq = useRef<number | undefined>(undefined);
  const heightBefore = useRef(0);

  const onScroll = () => {
    const el = scroller.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICKY_PX;
  };

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const first = messages[0]?.seq;
    if (firstSeq.current !== undefined && first !== undefined && first < firstSeq.current) {
      // Older messages were prepended: keep the ones on screen where they were.
      el.scrollTop += el.scrollHeight - heightBefore.current;
    } else if (stick.current) {
      el.scrollTop = el.scrollHeight;
    }
    firstSeq.current = first;
    heightBefore.current = el.scrollHeight;
  }, [messages, pending.length, props.typing]);

  const lastSeenAgentSeq = messages
    .filter((m) => m.author.kind === 'agent' && !m.visibility && m.seq <= props.visitorReadSeq)
    .at(-1)?.seq;
  const last = messages.at(-1);
  const lastDay = last ? dayKey(last.createdAt) : null;
  const pendingDayLabel =
    pending.length > 0 && lastDay !== dayKey(new Date().toISOString()) ? 'Today' : null;

  return (
    <div class="messages" ref={scroller} onScroll={onScroll}>
      <div class="messages-inner" role="log" aria-label="Messages">
        {props.hasMore ? (
          <div class="messages-earlier">
            <button
              type="button"
              class="button button-small"
              disabled={props.loadingEarlier}
              onClick={() => {
                heightBefore.current = scroller.current?.scrollHeight ?? 0;
                props.onLoadEarlier();
              }}
            >
              {props.loadingEarlier ? 'Loading…' : 'Load earlier messages'}
            </button>
          </div>
        ) : messages.length > 0 ? (
          <p class="messages-start">This is the start of the conversation.</p>
        ) : null}
        {props.loading && messages.length === 0 ? <p class="loading">Loading messages…</p> : null}
        {messages.map((message, i) => {
          const previous = messages[i - 1];
          const kind = message.author.kind;
          const newDay = !previous || dayKey(previous.createdAt) !== dayKey(message.createdAt);
          const separator = newDay ? (
            <div class="day-separator">
              <span>{dayLabel(message.createdAt)}</span>
            </div>
          ) : null;
          if (message.visibility === 'agents') {
            return (
              <Fragment key={message.seq}>
                {separator}
                <div class="msg-note" data-testid="note">
                  <p class="msg-note-head">Internal note · only agents see this</p>
                  <p class="pre-line">{message.body}</p>
                  <p class="msg-note-meta">
                    {message.author.name ?? 'An agent'} used a card ·{' '}
                    <time dateTime={message.createdAt}>{clockTime(message.createdAt)}</time>
                  </p>
                </div>
              </Fragment>
            );
          }
          if (kind === 'system') {
            return (
              <Fragment key={message.seq}>
                {separator}
                <div class="msg-system" data-testid="message">
                  <span>{message.body}</span>
                  <time dateTime={message.createdAt}>{clockTime(message.createdAt)}</time>
                </div>
              </Fragment>
            );
          }
          const grouped =
            !newDay &&
            previous !== undefined &&
            previous.author.kind === kind &&
            !previous.visibility &&
            previous.author.id === message.author.id &&
            Date.parse(message.createdAt) - Date.parse(previous.createdAt) < GROUP_GAP_MS;
          const name = authorName(message, props.visitorLabel);
          return (
            <Fragment key={message.seq}>
              {separator}
              <div class={`msg msg-${kind}${grouped ? ' msg-grouped' : ''}`} data-testid="message">
                {kind === 'visitor' ? (
                  <span class="msg-avatar">
                    {grouped ? null : (
                      <Avatar label={props.visitorLabel} seed={props.visitorId} size="sm" />
                    )}
                  </span>
                ) : null}
                <div class="msg-content">
                  {grouped ? null : (
                    <div class="msg-meta">
                      <span class="msg-author">{name}</span>
                      <time dateTime={message.createdAt}>{clockTime(message.createdAt)}</time>
                    </div>
                  )}
                  <div class="bubble">
                    {grouped ? <span class="sr-only">{name}: </span> : null}
                    {message.body}
                  </div>
                  {message.seq === lastSeenAgentSeq ? <div class="msg-status">Seen</div> : null}
                </div>
              </div>
            </Fragment>
          );
        })}
        {pendingDayLabel ? (
          <div class="day-separator">
            <span>{pendingDayLabel}</span>
          </div>
        ) : null}
        {pending.map((p) => (
          <div
            key={p.clientMessageId}
            class={`msg msg-agent msg-${p.state}`}
            data-testid="pending-message"
          >
            <div class="msg-content">
              <div class="bubble">{p.body}</div>
              {p.state === 'sending' ? (
                <div class="msg-status">Sending…</div>
              ) : (
                <div class="msg-status msg-status-failed" role="alert">
                  <span>{p.error ?? 'Not delivered'}</span>
                  <button type="button" class="link-button" onClick={() => props.onRetry(p)}>
                    Retry
                  </button>
                </div>
              )}
            </div>
          </div>
        ))}
      </div>
      {props.typing ? (
        <div class="msg msg-visitor msg-typing" aria-hidden="true">
          <span class="msg-avatar">
            <Avatar label={props.visitorLabel} seed={props.visitorId} size="sm" />
          </span>
          <div class="bubble typing-dots">
            <span />
            <span />
            <span />
          </div>
        </div>
      ) : null}
    </div>
  );
}
