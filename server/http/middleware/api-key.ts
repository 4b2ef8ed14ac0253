import type { Request, RequestHandler } from 'express';
import type { ApiKeyRole } from '../../../protocol/index.js';
import { keyRefusal, type ApiKeyService, type AuthenticatedKey } from '../../api-keys/index.js';
import { AppError } from '../../errors.js';

/** What checking a request's key needs. */
export type KeyAuthenticator = Pick<ApiKeyService, 'authenticate'>;

const keys = new WeakMap<Request, AuthenticatedKey>();

/**
 * The API key of a request that passed `requireApiKey`: its project scopes everything the
 * handler reads or writes; its label says who wrote (provenance).
 */
export function apiKeyOf(req: Request): AuthenticatedKey {
  const key = keys.get(req);
  if (!key) throw new Error(`${req.method} ${req.path} reads the API key of a route without one`);
  return key;
}

/** 401 (RFC 6750: with `WWW-Authenticate`) unless the request carries a live key. */
export function requireApiKey(authenticator: KeyAuthenticator): RequestHandler {
  return async (req, res, next) => {
    const check = await authenticator.authenticate(req.get('authorization'));
    if (!check.ok) {
      const missing = check.failure.reason === 'missing';
      res.set(
        'WWW-Authenticate',
        `Bearer realm="palaver"${missing ? '' : ', error="invalid_token"'}`,
      );
      next(keyRefusal(check.failure));
      return;
    }
    keys.set(req, check.key);
    next();
  };
}

/** 403 `insufficient_role`, naming the roles the key lacks. */
export function requireRoles(roles: readonly ApiKeyRole[]): RequestHandler {
  return (req, _res, next) => {
    const held = apiKeyOf(req).roles;
    const missing = roles.filter((role) => !held.includes(role));
    if (missing.length > 0) {
      const named = missing.map((role) => `"${role}"`).join(' and ');
      next(
        new AppError(
          'insufficient_role',
          403,
          `This API key lacks the role ${named}; an admin can create a key with it under Settings → Projects → API keys`,
        ),
      );
      return;
    }
    next();
  };
}
