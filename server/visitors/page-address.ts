/** Longest page address kept, as the session request allows. */
const MAX_LENGTH = 2048;

export const REDACTED = '[redacted]';

/**
 * Words that make a query parameter's value a secret when they appear in its name: tokens of
 * every kind (reset, access, refresh, id, CSRF, JWT), OAuth `code` and `state`, passwords, API
 * keys, session ids, signatures (S3, CloudFront, Azure `sig`), credentials, one-time codes,
 * nonces and login hashes or tickets.
 */
const SECRET_WORDS = new Set([
  'token',
  'tokens',
  'jwt',
  'code',
  'state',
  'password',
  'passwd',
  'pwd',
  'pass',
  'passcode',
  'pin',
  'secret',
  'key',
  'apikey',
  'session',
  'sessionid',
  'sessid',
  'sid',
  'auth',
  'authorization',
  'signature',
  'sig',
  'credential',
  'credentials',
  'otp',
  'totp',
  'nonce',
  'hash',
  'ticket',
  'saml',
  'samlresponse',
  'samlrequest',
  'assertion',
]);

/** Names written as one word that end in a secret word: `resettoken`, `phpsessid`, `xsrftoken`. */
const SECRET_ENDINGS = /(token|secret|password|passwd|apikey|sessionid|sessid|signature)$/;

/** Splits `X-Amz-Signature`, `reset_token`, `accessToken` into lower-case words. */
function wordsOf(name: string): string[] {
  return name
    .split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

export function isSecretParameter(rawName: string): boolean {
  const name = decoded(rawName);
  const joined = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return (
    SECRET_WORDS.has(joined) ||
    SECRET_ENDINGS.test(joined) ||
    wordsOf(name).some((word) => SECRET_WORDS.has(word))
  );
}

/** The query with every secret-looking parameter's value replaced; the rest kept byte for byte. */
function redactQuery(search: string): string {
  if (search.length <= 1) return '';
  const parts = search
    .slice(1)
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      if (equals < 0) return part;
      const name = part.slice(0, equals);
      const value = part.slice(equals + 1);
      return value && isSecretParameter(name) ? `${name}=${REDACTED}` : part;
    });
  return `?${parts.join('&')}`;
}

/**
 * The page address (or referrer) a browser reported, as it may be stored and shown to agents:
 * http(s) only, without user name and password, without the `#fragment` (where OAuth implicit
 * flows and many apps put tokens), and with the values of secret-looking query parameters
 * replaced by `[redacted]`. Anything else — another scheme, or text that is not a URL — is not
 * kept at all (null).
 */
export function pageAddress(reported: string | null | undefined): string | null {
  if (!reported) return null;
  let url: URL;
  try {
    url = new URL(reported);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return `${url.protocol}//${url.host}${url.pathname}${redactQuery(url.search)}`.slice(
    0,
    MAX_LENGTH,
  );
}
