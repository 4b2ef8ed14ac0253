import { formatAnswerPath, type AnswerShapeRow } from '../../protocol/index.js';
import { isSensitiveKey, valueReason } from '../contacts/index.js';

/** What Test connection shows of an answer: its keys and types, never a value. */
export interface DescribedAnswer {
  rows: AnswerShapeRow[];
  /** More nodes than listed (a huge or deep answer). */
  truncated: boolean;
}

const MAX_ROWS = 200;
/** Deeper than this nobody maps from; an answer may nest 100,000 levels to hurt us. */
const MAX_DEPTH = 8;

interface Node {
  segments: Array<string | number>;
  value: unknown;
  dropped: string | null;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** A string's kind, so that an admin can tell an email from a name without seeing either. */
function stringHint(text: string): string {
  if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text)) return ', like an email address';
  if (/^https:\/\/\S+$/i.test(text)) return ', an https URL';
  if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(text)) return ', a URL (not https)';
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return ', a date';
  if (/^\+?[\d\s().-]{6,24}$/.test(text) && /\d{6}/.test(text.replace(/\D/g, ''))) {
    return ', digits';
  }
  return '';
}

function typeOf(value: unknown): AnswerShapeRow['type'] {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' ? type : 'object';
}

function summaryOf(value: unknown, type: AnswerShapeRow['type']): string {
  if (type === 'string') {
    const text = value as string;
    return `string (${plural(text.length, 'char')}${stringHint(text)})`;
  }
  if (type === 'array') {
    const length = (value as unknown[]).length;
    return length > 1
      ? `array (${plural(length, 'item')}; the first is shown)`
      : `array (${plural(length, 'item')})`;
  }
  if (type === 'object') return `object (${plural(Object.keys(value as object).length, 'key')})`;
  return type;
}

/**
 * The answer as a list of nodes in document order (depth for indentation): each node's path as
 * a mapping would name it, its type, a summary (`string (12 chars)`) and whether the PII guard
 * drops it. Arrays show their first item only. Values are never part of it.
 */
export function describeAnswer(root: unknown): DescribedAnswer {
  const rows: AnswerShapeRow[] = [];
  let truncated = false;
  const stack: Node[] = [{ segments: [], value: root, dropped: null }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const { segments, value } = node;
    const type = typeOf(value);
    if (segments.length > 0) {
      if (rows.length >= MAX_ROWS) {
        truncated = true;
        break;
      }
      rows.push({
        path: formatAnswerPath(segments),
        depth: segments.length - 1,
        type,
        summary: summaryOf(value, type),
        dropped: node.dropped,
      });
    }
    if (node.dropped || (type !== 'object' && type !== 'array')) continue;
    if (segments.length >= MAX_DEPTH) {
      truncated = true;
      continue;
    }
    const children: Node[] = [];
    if (Array.isArray(value)) {
      if (value.length > 0) {
        const first: unknown = value[0];
        children.push({ segments: [...segments, 0], value: first, dropped: valueReason(first) });
      }
    } else {
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
        const dropped = isSensitiveKey(key) ? 'sensitive_key' : valueReason(inner);
        children.push({ segments: [...segments, key], value: inner, dropped });
        if (children.length > MAX_ROWS) break;
      }
    }
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i] as Node);
  }
  return { rows, truncated };
}
