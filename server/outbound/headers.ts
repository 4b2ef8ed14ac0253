import type { IntegrationHeaderInput } from '../../protocol/index.js';
import type { SecretBox } from '../crypto/secrets.js';
import { AppError } from '../errors.js';

/** A custom header Palaver sends to a site, value included: only ever in memory or sealed. */
export interface SiteHeader {
  name: string;
  value: string;
}

/** What HTTP allows in a header value (RFC 9110 field-value): visible ASCII, Latin-1, SP, HTAB. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]+$/;

/** `Bearer ••••` for an Authorization-style value, `••••` for anything else. */
export function maskHeaderValue(value: string): string {
  const scheme = /^(Bearer|Basic|Token|Digest|ApiKey)\s/i.exec(value)?.[1];
  return scheme ? `${scheme} ••••` : '••••';
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', 422, message, [{ path, message }]);
}

/**
 * The headers after an admin's edit: `input` is the complete list, and a header sent without a
 * value keeps the value stored under its name (values are write-only: the form never has them).
 */
export function editedHeaders(
  current: SiteHeader[],
  input: IntegrationHeaderInput[],
): SiteHeader[] {
  const seen = new Set<string>();
  return input.map((header, index) => {
    const key = header.name.toLowerCase();
    if (seen.has(key)) {
      throw invalid(`headers.${index}.name`, `The header ${header.name} is listed twice`);
    }
    seen.add(key);
    if (header.value !== undefined && !HEADER_VALUE.test(header.value)) {
      // Otherwise every call would fail later with an opaque network error. The value itself
      // is never echoed: it is a secret.
      throw invalid(
        `headers.${index}.value`,
        `The value of ${header.name} can only hold printable characters (letters, digits, punctuation, spaces; no control characters or emoji)`,
      );
    }
    const value = header.value ?? current.find((h) => h.name.toLowerCase() === key)?.value;
    if (value === undefined) {
      throw invalid(`headers.${index}.value`, `Enter a value for the new header ${header.name}`);
    }
    return { name: header.name, value };
  });
}

/** Headers sealed at rest; `context` binds them to their owner (a project, a card). */
export function sealHeaders(box: SecretBox, headers: SiteHeader[], context: string): string | null {
  return headers.length ? box.seal(JSON.stringify(headers), context) : null;
}

export function openHeaders(box: SecretBox, sealed: string | null, context: string): SiteHeader[] {
  return sealed ? (JSON.parse(box.open(sealed, context)) as SiteHeader[]) : [];
}

/** The headers as the settings API shows them: names, and values masked. */
export function headerViews(headers: SiteHeader[]): { name: string; masked: string }[] {
  return headers.map((h) => ({ name: h.name, masked: maskHeaderValue(h.value) }));
}
