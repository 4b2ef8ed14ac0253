import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors.js';
import { addressKey } from './client-address.js';
import type { Limiter, Verdict } from './limiter.js';
import type { LimitPolicy } from './policies.js';

export interface RequestLimit {
  limiter: Limiter;
  /** Whose count a request goes to: its client (`byAddress`), its API key… */
  keyOf: (req: Request) => string;
  /** Whether an answer counts against the limit; the point of one that does not is given back. */
  counts: (res: Response) => boolean;
  /** What a refused person reads, given how long until they may try again. */
  refusal: (retryAfterMs: number) => string;
}

/** Names the client's counter in the headers without revealing its address. */
function partitionKey(key: string): string {
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 12);
  return Buffer.from(digest).toString('base64');
}

/** IETF draft-8 `RateLimit-Policy` and `RateLimit` (as express-rate-limit writes them). */
function setHeaders(res: Response, policy: LimitPolicy, verdict: Verdict, key: string): void {
  const name = `"${policy.name}"`;
  res.append(
    'RateLimit-Policy',
    `${name}; q=${policy.points}; w=${policy.windowMs / 1000}; pk=:${partitionKey(key)}:`,
  );
  res.append(
    'RateLimit',
    `${name}; r=${verdict.remaining}; t=${Math.ceil(verdict.resetMs / 1000)}`,
  );
}

/** Counts requests per client address (see `addressKey`). */
export function byAddress(addressOf: (req: IncomingMessage) => string): (req: Request) => string {
  return (req) => addressKey(addressOf(req));
}

/**
 * Counts each request against its key; over the limit, answers 429 `rate_limited` with
 * `Retry-After` in seconds.
 */
export function limitRequests(limit: RequestLimit): RequestHandler {
  return async (req, res, next) => {
    const key = limit.keyOf(req);
    const verdict = await limit.limiter.take(key);
    setHeaders(res, limit.limiter.policy, verdict, key);
    if (!verdict.allowed) {
      res.set('Retry-After', String(Math.max(1, Math.ceil(verdict.resetMs / 1000))));
      next(new AppError('rate_limited', 429, limit.refusal(verdict.resetMs)));
      return;
    }
    res.on('finish', () => {
      if (limit.counts(res)) return;
      // A lost refund only counts one attempt too many; the answer has already gone.
      limit.limiter.giveBack(key).catch(() => undefined);
    });
    next();
  };
}
