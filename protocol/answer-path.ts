/**
 * Paths into a site's answer, as admins write them in a field mapping: a JSON Pointer (RFC 6901,
 * `/data/emails/0/email`, `~1` for `/` and `~0` for `~` inside a key) or a dot path with indexes
 * (`data.emails[0].email` or `data.emails.0.email`). Zod-free: the console checks paths as they
 * are typed, the server resolves them against every answer.
 */

export type ParsedPath = { ok: true; segments: string[] } | { ok: false; problem: string };

export type Resolved = { found: true; value: unknown } | { found: false };

/** Longest path accepted, in segments: deeper answers are not worth mapping from. */
export const PATH_MAX_SEGMENTS = 20;

/** Keys no path may name: the parser drops them from every answer (prototype pollution). */
export const DANGEROUS_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

const INDEX = /^(0|[1-9]\d{0,8})$/;
const SIMPLE_KEY = /^[A-Za-z_$][\w$-]*$/;

function pointerSegments(text: string): ParsedPath {
  const segments: string[] = [];
  for (const token of text.slice(1).split('/')) {
    if (/~(?![01])/.test(token)) {
      return {
        ok: false,
        problem: 'In a JSON Pointer, ~ must be written ~0 and / inside a key ~1',
      };
    }
    segments.push(token.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return { ok: true, segments };
}

function dotSegments(text: string): ParsedPath {
  const segments: string[] = [];
  for (const part of text.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      return {
        ok: false,
        problem: `“${part}”: an index goes in brackets after a key, as in emails[0]; use a JSON Pointer (/a/b) for keys with brackets`,
      };
    }
    const [, key = '', indexes = ''] = match;
    if (key === '' && (indexes === '' || segments.length > 0)) {
      return {
        ok: false,
        problem:
          'A dot path cannot have an empty part: write data.name, or use a JSON Pointer (/data/name) for unusual keys',
      };
    }
    if (key !== '') segments.push(key);
    for (const index of indexes.matchAll(/\[(\d+)\]/g)) segments.push(index[1] ?? '');
  }
  return { ok: true, segments };
}

/** Reads a path as typed; `problem` says how to fix one that cannot be read. */
export function parseAnswerPath(text: string): ParsedPath {
  if (text.trim() === '') return { ok: false, problem: 'Enter a path, such as data.email' };
  if (text !== text.trim()) {
    return { ok: false, problem: 'Remove the spaces before or after the path' };
  }
  const parsed = text.startsWith('/') ? pointerSegments(text) : dotSegments(text);
  if (!parsed.ok) return parsed;
  if (parsed.segments.length > PATH_MAX_SEGMENTS) {
    return { ok: false, problem: `A path can have at most ${PATH_MAX_SEGMENTS} parts` };
  }
  const dangerous = parsed.segments.find((s) => DANGEROUS_KEYS.has(s));
  if (dangerous !== undefined) {
    return { ok: false, problem: `${dangerous} cannot be mapped: Palaver drops it from answers` };
  }
  return parsed;
}

/**
 * The value at `segments` inside `root`. Only own properties count (never a prototype's), and an
 * array is entered only by a decimal index within its length.
 */
export function resolveAnswerPath(root: unknown, segments: readonly string[]): Resolved {
  let value = root;
  for (const segment of segments) {
    if (Array.isArray(value)) {
      if (!INDEX.test(segment) || Number(segment) >= value.length) return { found: false };
      value = value[Number(segment)] as unknown;
    } else if (value !== null && typeof value === 'object' && Object.hasOwn(value, segment)) {
      value = (value as Record<string, unknown>)[segment];
    } else {
      return { found: false };
    }
  }
  return { found: true, value };
}

/** A path to show and to copy into a mapping: dotted when every key allows it, else a pointer. */
export function formatAnswerPath(segments: ReadonlyArray<string | number>): string {
  if (segments.length === 0) return '/';
  const simple = segments.every(
    (s, i) => typeof s === 'number' || SIMPLE_KEY.test(s) || (i > 0 && INDEX.test(s)),
  );
  if (!simple) {
    return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
  }
  return segments
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join('');
}
