import { PROFILE_LIMITS, type DroppedProperty, type FieldError } from '../../protocol/index.js';
import { stripPii } from './pii.js';

/** Keys through which code that copies an object could reach (and pollute) a prototype. */
const DANGEROUS_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** How many dropped dangerous keys are listed (a hostile body may hold thousands). */
const DANGEROUS_LISTED = 20;

/**
 * Deletes every `__proto__`, `constructor` and `prototype` key from a value fresh out of
 * JSON.parse (which stores them as plain own properties, so nothing is polluted yet), before any
 * other code copies it. Iterative: a body may be nested thousands of levels deep. Answers the
 * paths of the first few dropped.
 */
export function dropDangerousKeys(root: unknown, rootPath = ''): string[] {
  const listed: string[] = [];
  const stack: { value: unknown; path: string }[] = [{ value: root, path: rootPath }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const { value, path } = node;
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: `${path}[${i}]` }));
      continue;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const at = path ? `${path}.${key}` : key;
      if (DANGEROUS_KEYS.has(key)) {
        delete record[key];
        if (listed.length < DANGEROUS_LISTED) listed.push(at);
      } else stack.push({ value: record[key], path: at });
    }
  }
  return listed;
}

/** The limits of stored properties: key count, nesting depth, string length; paths, no values. */
export function propertyProblems(properties: Record<string, unknown>, root: string): FieldError[] {
  const problems: FieldError[] = [];
  const { metadataKeys, metadataDepth, string: maxString } = PROFILE_LIMITS;
  if (Object.keys(properties).length > metadataKeys) {
    problems.push({ path: root, message: `must have at most ${metadataKeys} keys` });
  }
  const walk = (value: unknown, path: string, depth: number) => {
    if (problems.length >= 10) return;
    if (typeof value === 'string') {
      if (value.length > maxString) {
        problems.push({ path, message: `must be at most ${maxString} characters` });
      }
      return;
    }
    if (value === null || typeof value === 'boolean') return;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) problems.push({ path, message: 'must be a finite number' });
      return;
    }
    if (typeof value !== 'object') {
      problems.push({ path, message: 'must be a JSON value' });
      return;
    }
    if (depth >= metadataDepth) {
      problems.push({ path, message: `must not nest deeper than ${metadataDepth} levels` });
      return;
    }
    const entries = Array.isArray(value)
      ? value.map((v, i) => [`[${i}]`, v] as const)
      : Object.entries(value).map(([k, v]) => [`.${k}`, v] as const);
    if (entries.length > metadataKeys) {
      problems.push({ path, message: `must have at most ${metadataKeys} entries` });
      return;
    }
    for (const [key, inner] of entries) walk(inner, `${path}${key}`, depth + 1);
  };
  for (const [key, value] of Object.entries(properties)) walk(value, `${root}.${key}`, 1);
  return problems;
}

/** Properties as they may be stored: within the limits, with payment and national ids dropped. */
export type CheckedProperties =
  | { ok: true; properties: Record<string, unknown>; dropped: DroppedProperty[] }
  | { ok: false; errors: FieldError[] };

export function checkProperties(
  properties: Record<string, unknown>,
  root = 'properties',
): CheckedProperties {
  const dangerous = dropDangerousKeys(properties, root);
  const errors = propertyProblems(properties, root);
  if (errors.length > 0) return { ok: false, errors };
  const { clean, dropped } = stripPii(properties);
  return {
    ok: true,
    properties: clean,
    dropped: [
      ...dangerous.map((path) => ({ path, reason: 'dangerous_key' as const })),
      ...dropped.map((d) => ({ path: `${root}.${d.key}`, reason: d.reason })),
    ],
  };
}
