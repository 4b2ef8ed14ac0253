import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Message } from '../../protocol/index.js';
import { clockTime } from '../lib/format.js';
import type { PendingMessage } from '../stores/outbox.js';

interface MessageListProps {
  messages: Message[];
  pending: PendingMessage[];
  hasMore: boolean;
  loadingEarlier: boolean;
  visitorReadSeq: number;
  visitorLabel: string;
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
  }, [messages, pending.length]);

  const lastSeenAgentSeq = messages
    .filter((m) => m.author.kind === 'agent' && m.seq <= props.visitorReadSeq)
    .at(-1)?.seq;

  return (
    <div class="messages" ref={scroller} onScroll={onScroll} aria-live="polite">
      {props.hasMore ? (
        <div class="messages-earlier">
          <button
            type="button"
            class="button button-ghost button-small"
            disabled={props.loadingEarlier}
            onClick={() => {
              heightBefore.current = scroller.current?.scrollHeight ?? 0;
              props.onLoadEarlier();
            }}
          >
            {props.loadingEarlier ? 'Loading…' : 'Load earlier messages'}
          </button>
        </div>
      ) : null}
      {messages.map((message, i) => {
        const previous = messages[i - 1];
        const kind = message.author.kind;
        if (kind === 'system') {
          return (
            <div key={message.seq} class="msg-system" data-testid="message">
              <span>{message.body}</span>
              <time dateTime={message.createdAt}>{clockTime(message.createdAt)}</time>
            </div>
          );
        }
        const grouped =
          previous !== undefined &&
          previous.author.kind === kind &&
          previous.author.id === message.author.id &&
          Date.parse(message.createdAt) - Date.parse(previous.createdAt) < GROUP_GAP_MS;
        return (
          <div key={message.seq} class={`msg msg-${kind}`} data-testid="message">
            {grouped ? null : (
              <div class="msg-meta">
                <span class="msg-author">{authorName(message, props.visitorLabel)}</span>
                <time dateTime={message.createdAt}>{clockTime(message.createdAt)}</time>
              </div>
            )}
            <div class="bubble">{message.body}</div>
            {message.seq === lastSeenAgentSeq ? <div class="msg-status">Seen</div> : null}
          </div>
        );
      })}
      {pending.map((p) => (
        <div
          key={p.clientMessageId}
          class={`msg msg-agent msg-${p.state}`}
          data-testid="pending-message"
        >
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
      ))}
    </div>
  );
}
