import type { RequestHandler } from 'express';

/**
 * Every answer: browsers must not guess a content type other than the one declared (a JSON
 * error echoing input must never run as a script or page). API answers: never stored by a
 * browser or a shared cache, since most hold private data (sessions, visitor tokens, profiles);
 * the one public document (`/api/openapi.json`) sets its own caching.
 */
export const apiHeaders: RequestHandler = (req, res, next) => {
  res.set('X-Content-Type-Options', 'nosniff');
  if (req.path === '/api' || req.path.startsWith('/api/')) res.set('Cache-Control', 'no-store');
  next();
};
