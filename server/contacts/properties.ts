import {
  DANGEROUS_KEYS,
  PROFILE_LIMITS,
  type DroppedProperty,
  type FieldError,
} from '../../protocol/index.js';
import { stripPii } from './pii.js';

/** How many dropped dangerous keys are listed (a hostile body may hold thousands). */
const DANGEROUS_LISTED = 20;

interface JsonNode {
  value: unknown;
  parent: JsonNode | null;
  /** Property name, or array index. */
  key: string | number;
}

/** `a.b[0].c`, below the root named `rootPath` (empty: the root is the document itself). */
function pathOf(node: JsonNode, rootPath: string): string {
  let path = '';
  for (let at: JsonNode | null = node; at?.parent; at = at.parent) {
    path = typeof at.key === 'number' ? `[${at.key}]${path}` : `.${at.key}${path}`;
  }
  return rootPath ? `${rootPath}${path}` : path.replace(/^\./, '');
}

/** The dangerous keys dropped from a value: the paths of the first few, and how many in all. */
export interface DroppedKeys {
  listed: string[];
  total: number;
}

/**
 * Deletes every `__proto__`, `constructor` and `prototype` key from a value fresh out of
 * JSON.parse (which stores them as plain own properties, so nothing is polluted yet), before any
 * other code copies it. Iterative: a body may be nested 100,000 levels deep. Paths are built only
 * for the keys it lists, in the order of the document.
 */
export function dropDangerousKeys(root: unknown, rootPath = ''): DroppedKeys {
  const listed: string[] = [];
  let total = 0;
  const stack: JsonNode[] = [{ value: root, parent: null, key: '' }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const { value } = node;
    if (value === null || typeof value !== 'object') continue;
    const children: JsonNode[] = [];
    if (Array.isArray(value)) {
      value.forEach((item, index) => children.push({ value: item, parent: node, key: index }));
    } else {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (DANGEROUS_KEYS.has(key)) {
          delete record[key];
          total += 1;
          if (listed.length < DANGEROUS_LISTED) {
            listed.push(pathOf({ value: null, parent: node, key }, rootPath));
          }
        } else children.push({ value: record[key], parent: node, key });
      }
    }
    // Reversed so that keys come out in the order of the document.
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i]!);
  }
  return { listed, total };
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
  const dangerous = dropDangerousKeys(properties, root).listed;
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
