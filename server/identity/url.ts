import { IdentityFetchError } from './errors.js';

export interface EndpointUrlConfig {
  url: string;
  style: 'path' | 'query';
  /** Query parameter name (query style). */
  paramName: string;
}

const ID_PLACEHOLDER = '{id}';

/** 1–256 characters, no control characters, and not a path segment that means "here" or "up". */
export function checkExternalId(id: string): void {
  if (id.length < 1 || id.length > 256) {
    throw new IdentityFetchError('invalid_id', 'External ids must have 1 to 256 characters');
  }
  if (/\p{Cc}/u.test(id)) {
    throw new IdentityFetchError('invalid_id', 'External ids cannot contain control characters');
  }
  if (id === '.' || id === '..') {
    throw new IdentityFetchError('invalid_id', 'An external id cannot be "." or ".."');
  }
}

/** Problems with an endpoint URL template itself, for the settings form. */
export function checkEndpointTemplate(
  config: EndpointUrlConfig,
  options: { allowHttp: boolean },
): string | null {
  let parsed: URL;
  try {
    parsed = new URL(config.url.replace(ID_PLACEHOLDER, 'x'));
  } catch {
    return 'Enter a full URL such as https://api.example.com/users/{id}';
  }
  if (parsed.protocol !== 'https:' && !(options.allowHttp && parsed.protocol === 'http:')) {
    return options.allowHttp ? 'Use an http or https URL' : 'Use an https URL';
  }
  if (parsed.username || parsed.password) {
    return 'Put credentials in a header (e.g. Authorization), not in the URL';
  }
  if (parsed.hash) return 'The URL cannot have a #fragment';
  const count = config.url.split(ID_PLACEHOLDER).length - 1;
  if (config.style === 'path') {
    if (count !== 1) return 'A path-style URL must contain {id} exactly once';
    const [before = '', after = ''] = config.url.split(ID_PLACEHOLDER);
    const wholeSegment = before.endsWith('/') && !before.includes('?') && /^([/?]|$)/.test(after);
    if (!wholeSegment) {
      return '{id} must be a whole path segment, e.g. https://api.example.com/users/{id}';
    }
  } else {
    if (count !== 0) return 'A query-style URL must not contain {id}; the id goes in the parameter';
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(config.paramName)) {
      return 'The parameter name can use letters, digits, _, . and - (at most 64)';
    }
  }
  return null;
}

/**
 * The URL to call for one external id: the id becomes exactly one encoded path segment (path
 * style) or one query value (query style), whatever characters it holds.
 */
export function buildEndpointUrl(config: EndpointUrlConfig, externalId: string): URL {
  checkExternalId(externalId);
  if (config.style === 'query') {
    const url = new URL(config.url);
    url.searchParams.set(config.paramName, externalId);
    return url;
  }
  const segment = encodeURIComponent(externalId);
  const url = new URL(config.url.replace(ID_PLACEHOLDER, segment));
  // Defence in depth: the parsed path must be the template's path with our segment in place.
  const expected = new URL(config.url.replace(ID_PLACEHOLDER, 'PALAVER_ID_SLOT'));
  if (url.pathname !== expected.pathname.replace('PALAVER_ID_SLOT', segment)) {
    throw new IdentityFetchError('invalid_id', 'This external id would change the URL path');
  }
  return url;
}
