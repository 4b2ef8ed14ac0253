import type { NextFunction, Request, RequestHandler, Response } from 'express';
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { AppError } from '../../errors.js';

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

/** Parses input with its schema or throws a 422 that lists every failing field. */
export function parseInput<T>(schema: Parser<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue: Issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
  const summary = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
  throw new AppError('validation_failed', 422, `Invalid input — ${summary}`, fields);
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
