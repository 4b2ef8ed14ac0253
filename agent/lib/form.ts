import { ApiError, type FieldProblem } from '../api/request.js';

interface Checker {
  safeParse(
    input: unknown,
  ):
    | { success: true }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

/** Runs the protocol schema in the browser, reporting problems as the server would. */
export function check(schema: Checker, input: unknown): FieldProblem[] {
  const result = schema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
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
  known: string[],
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
