import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TITLES,
  problemType,
  type Problem,
} from '../../../protocol/index.js';
import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { answerOf } from './errors.js';

/**
 * Errors of the public API as `application/problem+json` (RFC 9457); the same classification as
 * the other APIs' `{ error }` answers, so both say the same about the same failure.
 */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const e = answerOf(error, req, res, logger);
    if (res.headersSent) {
      res.end();
      return;
    }
    const body: Problem = {
      type: problemType(e.code),
      title: PROBLEM_TITLES[e.code],
      status: e.status,
      detail: e.message,
      instance: req.originalUrl.split('?')[0] ?? req.path,
      ...(e.fields ? { errors: e.fields } : {}),
    };
    res.status(e.status).type(PROBLEM_CONTENT_TYPE).json(body);
  };
}

export const problemNotFound: RequestHandler = (req, _res, next) => {
  next(
    new AppError(
      'not_found',
      404,
      `No API route ${req.method} ${req.baseUrl}${req.path}; see /api/openapi.json for the routes of the API`,
    ),
  );
};
