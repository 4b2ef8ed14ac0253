import { codePointName, invisibleCharacterIn } from '../../protocol/index.js';
import { siteUrlProblem } from '../outbound/index.js';
import { OutboundError } from '../outbound/index.js';

export interface EndpointUrlConfig {
  url: string;
  style: 'path' | 'query';
  /** Query parameter name (query style). */
  paramName: string;
  /** POST (data sync): the URL is called as it is, the id travels in the JSON body. */
  method: 'GET' | 'POST';
}

const ID_PLACEHOLDER = '{id}';
const POST_HOLDS_ID =
  'A POST (data-sync) endpoint is called at its one URL with the id in the JSON body {"externalId"}: remove {id} from the URL';

/**
 * What a path-style endpoint receives, literally: RFC 3986 unreserved characters and `@`, all
 * legal unencoded in a path segment and special to no common server or proxy. Nothing is
 * percent-encoded, so a proxy or framework that decodes `%2F`, `%5C` or `%25` once more before
 * routing has nothing to decode; `+` is out because some stacks read it as a space.
 */
const PATH_SAFE = /^[A-Za-z0-9._~@-]$/;

/** Any style: 1–256 characters, none of them control, invisible or direction-changing. */
export function checkExternalId(id: string): void {
  if (id.length < 1 || id.length > 256) {
    throw new OutboundError('invalid_id', 'External ids must have 1 to 256 characters');
  }
  const invisible = invisibleCharacterIn(id);
  if (invisible) {
    throw new OutboundError(
      'invalid_id',
      `The external id contains ${invisible}, a control, invisible or direction-changing character; ids with such characters are refused`,
    );
  }
}

/** Path style: only the characters of PATH_SAFE, and not a segment that means "here" or "up". */
function checkPathSegment(id: string): void {
  const advice = 'Switch the integration to query style (or POST) for ids like this one.';
  if (id === '.' || id === '..') {
    throw new OutboundError(
      'invalid_id',
      `An external id cannot be "." or ".." in a path-style endpoint. ${advice}`,
    );
  }
  for (const char of id) {
    if (!PATH_SAFE.test(char)) {
      throw new OutboundError(
        'invalid_id',
        `The external id contains "${char}" (${codePointName(char)}): a path-style endpoint receives only letters, digits and - _ . ~ @. ${advice}`,
      );
    }
  }
}

/** Problems with an endpoint URL template itself, for the settings form. */
export function checkEndpointTemplate(
  config: EndpointUrlConfig,
  options: { allowHttp: boolean },
): string | null {
  const problem = siteUrlProblem(
    config.url.replace(ID_PLACEHOLDER, 'x'),
    options,
    'https://api.example.com/users/{id}',
  );
  if (problem) return problem;
  const count = config.url.split(ID_PLACEHOLDER).length - 1;
  if (config.method === 'POST') {
    if (count !== 0) return POST_HOLDS_ID;
  } else if (config.style === 'path') {
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

/** Percent-encodes everything but unreserved characters (encodeURIComponent spares !'()*). */
function encodeQueryComponent(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The URL to call for one external id: the id becomes one path segment, sent as it is (path
 * style), or one query value with every reserved character and the space percent-encoded (query
 * style, which carries any id). The template's own query is kept as written. A POST endpoint's
 * URL is used as given.
 */
export function buildEndpointUrl(config: EndpointUrlConfig, externalId: string): URL {
  checkExternalId(externalId);
  if (config.method === 'POST') {
    if (config.url.includes(ID_PLACEHOLDER)) throw new OutboundError('config', POST_HOLDS_ID);
    return new URL(config.url);
  }
  if (config.style === 'query') {
    const url = new URL(config.url);
    const name = encodeQueryComponent(config.paramName);
    // URLSearchParams would rewrite the whole query (a space as "+"): build it by hand instead.
    const kept = url.search
      .slice(1)
      .split('&')
      .filter((part) => part !== '' && part.split('=')[0] !== name);
    url.search = [...kept, `${name}=${encodeQueryComponent(externalId)}`].join('&');
    return url;
  }
  checkPathSegment(externalId);
  const url = new URL(config.url.replace(ID_PLACEHOLDER, () => externalId));
  // Defence in depth: the parsed path must be the template's path with the id in place.
  const expected = new URL(config.url.replace(ID_PLACEHOLDER, 'PALAVER_ID_SLOT'));
  if (url.pathname !== expected.pathname.replace('PALAVER_ID_SLOT', () => externalId)) {
    throw new OutboundError('invalid_id', 'This external id would change the URL path');
  }
  return url;
}
