import type { IncomingMessage } from 'node:http';
import express, { Router, type Request, type Response } from 'express';
import type { AuthSession } from '../../protocol/index.js';
import { authRoutes } from '../../protocol/routes/index.js';
import { SESSION_COOKIE, toAgentView, type AuthenticatedAgent } from '../auth/index.js';
import { unauthorized } from '../errors.js';
import { byAddress, limitRequests, waitText, type Limiter } from '../limits/index.js';
import { authOf } from './middleware/auth.js';
import { routesOn } from './routing.js';
import type { HttpServices } from './services.js';

const SESSION_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

function sessionAnswer(auth: AuthenticatedAgent, publicUrl: string): AuthSession {
  return { agent: toAgentView(auth.agent), csrfToken: auth.session.csrfToken, publicUrl };
}

export function authRouter(
  s: HttpServices,
  options: { signInLimit: Limiter; addressOf: (req: IncomingMessage) => string },
): Router {
  const router = Router();
  const route = routesOn(router, { prefix: '/api/auth', sessions: s.sessions });
  const secureCookies = s.publicUrl.startsWith('https://');
  const cookieOptions = (req: Request) => ({
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: secureCookies || req.secure,
    path: '/',
  });

  // Failed attempts count, per client address and across instances; a sign-in that works does not,
  // nor one the server could not check (database down): retrying then must not lock anyone out.
  const loginLimiter = limitRequests({
    limiter: options.signInLimit,
    keyOf: byAddress(options.addressOf),
    counts: (res) => res.statusCode >= 400 && res.statusCode < 500,
    refusal: (ms) => `Too many sign-in attempts; ${waitText(ms)} and retry`,
  });

  route(
    authRoutes.login,
    async ({ body }, req, res: Response) => {
      const agent = await s.agents.authenticate(body.email, body.password);
      if (!agent) throw unauthorized('Email or password is wrong');
      const { cookieValue, session } = await s.sessions.create(agent.id);
      res.cookie(SESSION_COOKIE, cookieValue, {
        ...cookieOptions(req),
        maxAge: SESSION_MAX_AGE_MS,
      });
      res.json(sessionAnswer({ agent, session }, s.publicUrl));
    },
    { limit: loginLimiter, parser: express.json({ limit: '8kb' }) },
  );

  route(authRoutes.me, (_input, _req, res) => {
    res.json(sessionAnswer(authOf(res), s.publicUrl));
  });

  route(authRoutes.logout, async (_input, req, res) => {
    await s.sessions.destroy(authOf(res).session);
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
    res.status(204).end();
  });

  return router;
}
