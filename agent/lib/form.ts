import { ApiError, type FieldProblem } from '../api/request.js';

interface Issue {
  path: PropertyKey[];
  message: string;
  code?: string;
  origin?: string;
  minimum?: unknown;
  maximum?: unknown;
}

interface Checker {
  safeParse(input: unknown): { success: true } | { success: false; error: { issues: Issue[] } };
}

/** zod/mini ships no locale: its default text is "Invalid input". Say what to do instead. */
const GENERIC = 'Invalid input';

export function friendlyMessage(issue: Issue): string {
  if (issue.message !== GENERIC) return issue.message;
  const { code, origin, minimum, maximum } = issue;
  if (code === 'too_small' && origin === 'string') {
    return minimum === 1 ? 'This field is required' : `Use at least ${String(minimum)} characters`;
  }
  if (code === 'too_big' && origin === 'string') return `Use at most ${String(maximum)} characters`;
  if (code === 'too_small' && origin === 'number') return `Use ${String(minimum)} or more`;
  if (code === 'too_big' && origin === 'number') return `Use ${String(maximum)} or less`;
  if (code === 'invalid_type' || code === 'not_multiple_of') return 'Enter a whole number';
  if (code === 'invalid_value') return 'Choose one of the options';
  return 'Check this value';
}

/** Runs the protocol schema in the browser, reporting problems as the server would. */
export function check(schema: Checker, input: unknown): FieldProblem[] {
  const result = schema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: friendlyMessage(issue),
  }));
}

export function problemsOf(error: unknown): FieldProblem[] {
  return error instanceof ApiError ? error.fields : [];
}

/** Message for one field; list items (`allowedOrigins.2`) are reported by line number. */
export function messageFor(problems: FieldProblem[], path: string): string | undefined {
  for (const problem of problems) {
    if (problem.path === path) return problem.message;
    if (problem.path.startsWith(path + '.')) {
      const index = Number(problem.path.slice(path.length + 1).split('.')[0]);
      return Number.isInteger(index) ? `Line ${index + 1}: ${problem.message}` : problem.message;
    }
  }
  return undefined;
}

/** The error to show above the form when no field claims it. */
export function formError(
  error: unknown,
  problems: FieldProblem[],
  known: readonly string[],
): string | null {
  if (!error) return null;
  const unclaimed = problems.filter(
    (p) => !known.some((k) => p.path === k || p.path.startsWith(k + '.')),
  );
  if (problems.length > 0 && unclaimed.length === 0) return 'Fix the highlighted fields.';
  return error instanceof ApiError ? error.message : 'Something went wrong; try again';
}

export const linesOf = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/**
 * Allowed origins from a textarea, one per line. A pasted site address with only a trailing
 * slash ("https://shop.example.com/") is reduced to its origin; anything else is left for the
 * schema to explain.
 */
export function originsOf(text: string): string[] {
  return linesOf(text).map((line) => {
    try {
      const url = new URL(line);
      const bare = url.pathname === '/' && !url.search && !url.hash && !url.username;
      return bare && /^https?:$/.test(url.protocol) && /^https?:\/\/[^/]+\/?$/i.test(line)
        ? url.origin
        : line;
    } catch {
      return line;
    }
  });
}
