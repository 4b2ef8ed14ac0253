import { WEBHOOK_EXCERPT_MAX } from '../../protocol/index.js';

/**
 * The start of a receiver's answer for the delivery log, with what may be a secret or personal
 * data masked: admins need to see "invalid signature", not the tokens or addresses around it.
 */
export function answerExcerpt(body: Buffer): string | null {
  const text = body
    .subarray(0, WEBHOOK_EXCERPT_MAX * 4)
    .toString('utf8')
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/[^\s@"'<>,;()]+@[^\s@"'<>,;()]+/g, '[email]')
    .replace(/[A-Za-z0-9_\-+/=.]{24,}/g, '[redacted]')
    .replace(/\d{6,}/g, '[number]')
    .trim();
  if (text === '') return null;
  return [...text].slice(0, WEBHOOK_EXCERPT_MAX).join('');
}
