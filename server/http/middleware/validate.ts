import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { hasUnpairedSurrogate, UNPAIRED_SURROGATE_MESSAGE } from '../../../protocol/index.js';
import { AppError, type FieldProblem } from '../../errors.js';

// zod/mini ships without messages; the English locale turns "Invalid input" into useful text.
z.config(en());

interface Issue {
  path: PropertyKey[];
  message: string;
}
interface Parser<T> {
  safeParse(
    input: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: Issue[] } };
}

/** Where a value sits in the input, kept as links to its parent so deep input costs no copies. */
interface Place {
  key: string;
  parent: Place | null;
}

function pathOf(place: Place | null): string {
  const keys: string[] = [];
  for (let p = place; p; p = p.parent) keys.push(p.key);
  return keys.reverse().join('.') || '(body)';
}

/**
 * Every string of the input (values and keys) holding an unpaired surrogate. JSON escapes can
 * carry one into any field; stored, it would silently become U+FFFD. Walks without recursion:
 * input may nest thousands of levels deep.
 */
function unpairedSurrogates(input: unknown): FieldProblem[] {
  const found: FieldProblem[] = [];
  const pending: Array<{ value: unknown; place: Place | null }> = [{ value: input, place: null }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, place } = next;
    if (typeof value === 'string') {
      if (hasUnpairedSurrogate(value)) {
        found.push({ path: pathOf(place), message: UNPAIRED_SURROGATE_MESSAGE });
      }
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        const at = { key, parent: place };
        if (hasUnpairedSurrogate(key)) {
          found.push({ path: pathOf(at), message: UNPAIRED_SURROGATE_MESSAGE });
        }
        pending.push({ value: inner, place: at });
      }
    }
  }
  return found;
}

function invalid(fields: FieldProblem[]): AppError {
  const summary = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
  return new AppError('validation_failed', 422, `Invalid input — ${summary}`, fields);
}

/** Parses input with its schema or throws a 422 that lists every failing field. */
export function parseInput<T>(schema: Parser<T>, input: unknown): T {
  const malformed = unpairedSurrogates(input);
  if (malformed.length > 0) throw invalid(malformed);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalid(
    result.error.issues.map((issue: Issue) => ({
      path: issue.path.map(String).join('.') || '(body)',
      message: issue.message,
    })),
  );
}
