import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { ErrorBody } from '../../../protocol/index.js';
import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { StoreUnavailableError } from '../../store/index.js';

/** body-parser marks its own failures with a `type`; map them to what the client did wrong. */
const BODY_ERRORS: Record<string, AppError> = {
  'entity.parse.failed': new AppError('bad_request', 400, 'The request body is not valid JSON'),
  'entity.too.large': new AppError('payload_too_large', 413, 'The request body is too large'),
  'encoding.unsupported': new AppError('bad_request', 415, 'Unsupported content encoding'),
  'charset.unsupported': new AppError('bad_request', 415, 'Unsupported charset'),
  'request.aborted': new AppError('bad_request', 400, 'The request was aborted'),
};

function classify(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  // The router decodes path parameters before any handler runs; a bad %-escape is the client's.
  if (error instanceof URIError) {
    return new AppError('bad_request', 400, 'The URL contains an invalid %-escape; check the link');
  }
  if (typeof error === 'object' && error !== null && 'type' in error) {
    const known = typeof error.type === 'string' ? BODY_ERRORS[error.type] : undefined;
    if (known) return known;
  }
  return null;
}

/**
 * How long a client should wait before retrying a 503: the database blips it stands for (a
 * restart, a failover, a lock held past the wait) are usually over within seconds.
 */
const RETRY_AFTER_SECONDS = 5;

/**
 * What an error answers as: the AppError it is or stands for, else a 500 `internal`. Logs what
 * is ours to fix (never the request's headers or body, which may hold secrets).
 */
export function answerOf(error: unknown, req: Request, res: Response, logger: Logger): AppError {
  const appError = classify(error);
  if (!appError) {
    logger.error({ err: error, method: req.method, path: req.path }, 'unhandled request error');
  } else if (appError instanceof StoreUnavailableError) {
    logger.warn(
      { err: appError.cause, method: req.method, path: req.path },
      'request refused: the database is not answering',
    );
  }
  const e = appError ?? new AppError('internal', 500, 'Something went wrong on our side');
  if (e.status === 503 && !res.headersSent) res.set('Retry-After', String(RETRY_AFTER_SECONDS));
  return e;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const e = answerOf(error, req, res, logger);
    if (res.headersSent) {
      res.end();
      return;
    }
    const body: ErrorBody = {
      error: { code: e.code, message: e.message, ...(e.fields ? { fields: e.fields } : {}) },
    };
    res.status(e.status).json(body);
  };
}

export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', 404, `No API route ${req.method} ${req.path}`));
};
