import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { humanizeKey, safeHttpUrl, shortUrl } from '../lib/format.js';
import { Icon } from './Icon.js';

/** Longer strings are folded behind "Show more". */
const FOLD_AT = 140;
/** Top-level keys shown before "Show all". */
const KEYS_SHOWN = 12;
/** Deeper than the contract allows (3): printed as text rather than nested further. */
const MAX_DEPTH = 4;

/**
 * A site's free-form `metadata`, readable: nested objects indent, lists list, long text folds, and
 * only http(s) URLs become links. Every value is rendered as text, never as HTML.
 */
export function MetadataList(props: {
  data: Record<string, unknown>;
  depth?: number;
  /** Shown after a top-level value, e.g. where it came from. */
  aside?: (key: string) => ComponentChildren;
}) {
  const depth = props.depth ?? 0;
  const entries = Object.entries(props.data);
  const [all, setAll] = useState(false);
  const shown = all || depth > 0 ? entries : entries.slice(0, KEYS_SHOWN);
  return (
    <>
      <dl class={depth > 0 ? 'meta meta-nested' : 'meta'}>
        {shown.map(([key, value]) => (
          <div class="meta-row" key={key}>
            <dt title={key}>{humanizeKey(key)}</dt>
            <dd>
              <MetaValue value={value} depth={depth} />
              {props.aside?.(key)}
            </dd>
          </div>
        ))}
      </dl>
      {entries.length > shown.length ? (
        <button type="button" class="link-button meta-more" onClick={() => setAll(true)}>
          Show all {entries.length} fields
        </button>
      ) : null}
    </>
  );
}

function MetaValue({ value, depth }: { value: unknown; depth: number }) {
  if (value === null || value === undefined) return <span class="muted">—</span>;
  if (typeof value === 'string') return <MetaText text={value} />;
  if (typeof value === 'number') return <span class="meta-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span>{value ? 'Yes' : 'No'}</span>;
  if (depth >= MAX_DEPTH) return <MetaText text={JSON.stringify(value) ?? ''} />;
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    if (items.length === 0) return <span class="muted">Empty list</span>;
    const flat = items.every((item) => item === null || typeof item !== 'object');
    return (
      <ul class={flat ? 'meta-list meta-list-flat' : 'meta-list'}>
        {items.map((item, index) => (
          <li key={index}>
            <MetaValue value={item} depth={depth + 1} />
          </li>
        ))}
      </ul>
    );
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (Object.keys(record).length === 0) return <span class="muted">Empty</span>;
    return <MetadataList data={record} depth={depth + 1} />;
  }
  // Parsed JSON holds nothing else; anything stranger is named by its type, never run or printed.
  return <span>{typeof value}</span>;
}

/** A string: a link when it is an absolute http(s) URL, folded when long, text always. */
export function MetaText({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  const href = /^https?:\/\//i.test(text) ? safeHttpUrl(text) : null;
  if (href) {
    return (
      <a
        class="fact-link"
        href={href}
        target="_blank"
        rel="noopener noreferrer nofollow"
        title={text}
      >
        <span class="ellipsis">{shortUrl(text)}</span>
        <Icon name="external" size={12} />
        <span class="sr-only"> (opens in a new tab)</span>
      </a>
    );
  }
  if (text.length <= FOLD_AT) return <span class="break pre-line">{text}</span>;
  return (
    <span class="break pre-line">
      {open ? text : `${text.slice(0, FOLD_AT).trimEnd()}…`}{' '}
      <button
        type="button"
        class="link-button meta-fold"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {open ? 'Show less' : 'Show more'}
      </button>
    </span>
  );
}
