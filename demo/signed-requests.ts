import express, { type Request, type RequestHandler } from 'express';
import { verifyPalaverSignature } from './palaver-signature.js';
import type { AcmeSigningSecrets } from './signing-secrets.js';

/** Palaver's card answers and webhook bodies are small; this keeps a flood out of memory. */
const BODY_LIMIT = '256kb';

/**
 * Reads the body as raw bytes and lets through only requests Palaver signed with a secret Acme
 * holds; others get 401 with a JSON error, and `rejected` hears why (the webhook log shows it).
 */
export function signedByPalaver(
  secrets: AcmeSigningSecrets,
  rejected?: (req: Request, why: string) => void,
): RequestHandler[] {
  return [
    express.raw({ type: () => true, limit: BODY_LIMIT }),
    (req, res, next) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const header = req.get('palaver-signature');
      let why = 'Acme has no copy of the signing secret yet';
      for (const secret of secrets.all()) {
        const verdict = verifyPalaverSignature(header, raw, secret);
        if (verdict.ok) {
          next();
          return;
        }
        why = verdict.why;
      }
      rejected?.(req, why);
      res.status(401).json({ error: `Bad Palaver-Signature: ${why}` });
    },
  ];
}

/** The verified body as JSON, or undefined when it is not JSON. */
export function jsonBody(req: Request): unknown {
  try {
    return JSON.parse((req.body as Buffer).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
