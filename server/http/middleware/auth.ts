import type { RequestHandler, Response } from 'express';
import { parse as parseCookie } from 'cookie';
import { AgentSessions, SESSION_COOKIE, type AuthenticatedAgent } from '../../auth/index.js';
import { AppError, forbidden, unauthorized } from '../../errors.js';

/** The signed-in agent of a request that passed `requireAgent`. */
export function authOf(res: Response): AuthenticatedAgent {
  const auth = res.locals.auth as AuthenticatedAgent | undefined;
  if (!auth) throw unauthorized('Sign in first');
  return auth;
}

export function sessionCookieOf(cookieHeader: string | undefined): string | undefined {
  return parseCookie(cookieHeader ?? '')[SESSION_COOKIE];
}

export function requireAgent(sessions: AgentSessions): RequestHandler {
  return async (req, res, next) => {
    const auth = await sessions.authenticate(sessionCookieOf(req.headers.cookie));
    if (!auth) {
      next(unauthorized('Your session has ended; sign in again'));
      return;
    }
    res.locals.auth = auth;
    next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Synchronizer-token CSRF protection: state-changing requests must echo the session's token in
 * `X-CSRF-Token`, which another site cannot read or set.
 */
export const requireCsrf: RequestHandler = (req, res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const { session } = authOf(res);
  if (!AgentSessions.csrfMatches(session, req.get('x-csrf-token'))) {
    return next(
      new AppError('csrf_failed', 403, 'Missing or wrong X-CSRF-Token header; reload the page'),
    );
  }
  next();
};

export const requireAdmin: RequestHandler = (_req, res, next) => {
  if (authOf(res).agent.role !== 'admin') {
    return next(forbidden('Only admins can do this'));
  }
  next();
};
