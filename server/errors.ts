import type { ErrorCode } from '../protocol/index.js';

export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * The one error type of the server. `code` is stable (clients branch on it), `status` is the HTTP
 * status it maps to, and `message` tells a person what to do about it.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly fields?: FieldProblem[],
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AppError('not_found', 404, `${what} was not found`);
export const forbidden = (message: string) => new AppError('forbidden', 403, message);
export const unauthorized = (message: string) => new AppError('unauthorized', 401, message);
export const conflict = (message: string) => new AppError('conflict', 409, message);
export const badRequest = (message: string) => new AppError('bad_request', 400, message);
