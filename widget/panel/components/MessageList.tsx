import { useStore } from '@nanostores/preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Message } from '../../../protocol/index.js';
import { $outbox } from '../stores/outbox.js';
import { $thread } from '../stores/thread.js';
import { $agentTyping } from '../stores/typing.js';
import { formatTime } from '../format.js';
import { Avatar } from './Avatar.js';

interface Props {
  greeting: string;
  teamName: string;
  locale: string;
  onRetry: (clientMessageId: string) => void;
  onLoadEarlier: () => void;
}

function Bubble({ message, locale, seen }: { message: Message; locale: string; seen: boolean }) {
  const mine = message.author.kind === 'visitor';
  const who = mine ? 'You' : (message.author.name ?? 'Support');
  return (
    <li class={`pv-msg ${mine ? 'pv-mine' : 'pv-theirs'}`}>
      {!mine && <Avatar name={message.author.name} url={message.author.avatarUrl} />}
      <div class="pv-stack">
        {!mine && <span class="pv-name">{who}</span>}
        <p class="pv-bubble">
          <span class="pv-sr">{who}: </span>
          {message.body}
        </p>
        <span class="pv-meta">
          <time dateTime={message.createdAt}>{formatTime(message.createdAt, locale)}</time>
          {seen && ' · Seen'}
        </span>
      </div>
    </li>
  );
}

export function MessageList({ greeting, teamName, locale, onRetry, onLoadEarlier }: Props) {
  const thread = useStore($thread);
  const outbox = useStore($outbox);
  const typing = useStore($agentTyping);
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const lastSeq = thread.messages.at(-1)?.seq ?? 0;
  const lastMine = thread.messages.filter((m) => m.author.kind === 'visitor').at(-1);

  // Follow new messages only when the visitor is already at the bottom (not reading back).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [lastSeq, outbox.length, typing]);

  return (
    <div
      class="pv-scroll"
      ref={scroller}
      // A history of plain text has nothing else to focus: without this a keyboard cannot scroll it.
      tabIndex={0}
      role="region"
      aria-label="Conversation history"
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      {thread.hasMore && (
        <button
          type="button"
          class="pv-earlier"
          onClick={onLoadEarlier}
          disabled={thread.loadingEarlier}
        >
          {thread.loadingEarlier ? 'Loading…' : 'Show earlier messages'}
        </button>
      )}
      {/* On the list itself, role="log" would replace its list role and orphan every item. */}
      <div role="log" aria-live="polite" aria-label="Messages">
        <ol class="pv-log">
          {greeting && !thread.hasMore && (
            <li class="pv-msg pv-theirs">
              <Avatar name={teamName} url={null} />
              <div class="pv-stack">
                <span class="pv-name">{teamName}</span>
                <p class="pv-bubble">{greeting}</p>
              </div>
            </li>
          )}
          {thread.messages.map((m) => (
            <Bubble
              key={m.id}
              message={m}
              locale={locale}
              seen={m === lastMine && thread.agentsReadSeq >= m.seq}
            />
          ))}
          {outbox.map((p) => (
            <li
              key={p.clientMessageId}
              class={`pv-msg pv-mine ${p.state === 'failed' ? 'pv-failed' : 'pv-pending'}`}
            >
              <div class="pv-stack">
                <p class="pv-bubble">{p.body}</p>
                <span class="pv-meta">
                  {p.state === 'sending' ? (
                    'Sending…'
                  ) : (
                    <>
                      Not sent{p.error ? `: ${p.error}` : ''}.{' '}
                      <button
                        type="button"
                        class="pv-retry"
                        onClick={() => onRetry(p.clientMessageId)}
                      >
                        Retry
                      </button>
                    </>
                  )}
                </span>
              </div>
            </li>
          ))}
          {thread.conversation?.status === 'closed' && (
            <li class="pv-notice">This conversation was closed. Write below to start a new one.</li>
          )}
        </ol>
      </div>
      {typing && (
        <p class="pv-typing" aria-live="polite">
          <span class="pv-dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
          {typing} is typing…
        </p>
      )}
    </div>
  );
}
