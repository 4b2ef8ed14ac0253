import type { NextFunction, Request, RequestHandler, Response } from 'express';
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

/**
 * Every string of the input (values and keys) holding an unpaired surrogate. JSON escapes can
 * carry one into any field; stored, it would silently become U+FFFD.
 */
function unpairedSurrogates(value: unknown, path: string[] = []): FieldProblem[] {
  const at = (p: string[]) => ({
    path: p.join('.') || '(body)',
    message: UNPAIRED_SURROGATE_MESSAGE,
  });
  if (typeof value === 'string') return hasUnpairedSurrogate(value) ? [at(path)] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    ...(hasUnpairedSurrogate(key) ? [at([...path, key])] : []),
    ...unpairedSurrogates(inner, [...path, key]),
  ]);
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

type Schemas<B, Q> = { body?: Parser<B>; query?: Parser<Q> };

/**
 * Wraps a route handler so that it receives its body and query already parsed by their
 * `protocol/` schemas. Handlers never look at raw `req.body`.
 */
export function validate<B = undefined, Q = undefined>(
  schemas: Schemas<B, Q>,
  handler: (input: { body: B; query: Q }, req: Request, res: Response) => Promise<void> | void,
): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const body = schemas.body ? parseInput(schemas.body, req.body) : (undefined as B);
      const query = schemas.query ? parseInput(schemas.query, req.query) : (undefined as Q);
      await handler({ body, query }, req, res);
    } catch (error) {
      next(error);
    }
  };
}
