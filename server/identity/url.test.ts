import { describe, expect, it } from 'vitest';
import { OutboundError } from '../outbound/index.js';
import { buildEndpointUrl, checkEndpointTemplate } from './url.js';

const pathStyle = {
  url: 'https://api.acme.com/v1/users/{id}',
  style: 'path',
  paramName: 'id',
  method: 'GET',
} as const;
const queryStyle = {
  url: 'https://api.acme.com/users?x=1',
  style: 'query',
  paramName: 'uid',
  method: 'GET',
} as const;

describe('building the site endpoint URL', () => {
  it('puts a plain id in the path', () => {
    expect(buildEndpointUrl(pathStyle, 'u_123').href).toBe('https://api.acme.com/v1/users/u_123');
  });

  it('rejects ids that are empty, too long, "." or "..", or hold control characters', () => {
    for (const id of ['', '.', '..', 'a'.repeat(257), 'a\nb', 'a\u0000b', '\u007f']) {
      expect(() => buildEndpointUrl(pathStyle, id)).toThrow();
    }
    expect(buildEndpointUrl(pathStyle, 'a'.repeat(256)).pathname).toHaveLength(10 + 256);
  });

  it('puts the id in one query value, keeping the other parameters', () => {
    const url = buildEndpointUrl(queryStyle, 'a&b=c#d');
    expect(url.pathname).toBe('/users');
    expect([...url.searchParams]).toEqual([
      ['x', '1'],
      ['uid', 'a&b=c#d'],
    ]);
    expect(url.hash).toBe('');
  });
});

describe('checking an endpoint URL template', () => {
  it('accepts a valid https template', () => {
    expect(checkEndpointTemplate(pathStyle, { allowHttp: false })).toBeNull();
    expect(checkEndpointTemplate(queryStyle, { allowHttp: false })).toBeNull();
  });

  it('explains what is wrong', () => {
    const check = (url: string, style: 'path' | 'query' = 'path', allowHttp = false) =>
      checkEndpointTemplate({ url, style, paramName: 'id', method: 'GET' }, { allowHttp });
    expect(check('http://api.acme.com/u/{id}')).toMatch(/https/);
    expect(check('http://api.acme.com/u/{id}', 'path', true)).toBeNull();
    expect(check('https://user:pw@api.acme.com/u/{id}')).toMatch(/header/);
    expect(check('https://api.acme.com/u')).toMatch(/exactly once/);
    expect(check('https://api.acme.com/u/{id}/{id}')).toMatch(/exactly once/);
    expect(check('https://api.acme.com/u?id={id}')).toMatch(/path segment/);
    expect(check('https://api.acme.com/u-{id}')).toMatch(/path segment/);
    expect(check('https://api.acme.com/u/{id}', 'query')).toMatch(/must not contain/);
    expect(check('not a url')).toMatch(/full URL/);
    expect(check('ftp://api.acme.com/u/{id}')).toMatch(/https/);
  });
});

describe('a template whose {id} is only part of a segment', () => {
  it('is refused', () => {
    expect(
      checkEndpointTemplate(
        { url: 'https://api.acme.com/u/{id}.json', style: 'path', paramName: 'id', method: 'GET' },
        { allowHttp: false },
      ),
    ).toMatch(/path segment/);
    expect(
      checkEndpointTemplate(
        {
          url: 'https://api.acme.com/u/{id}/profile?x=1',
          style: 'path',
          paramName: 'id',
          method: 'GET',
        },
        { allowHttp: false },
      ),
    ).toBeNull();
  });
});

describe('path-style ids (issue 9: identity edges)', () => {
  it('are sent literally, never percent-encoded: letters, digits and - _ . ~ @', () => {
    for (const id of ['u_123', 'A-z.0~9@acme', 'alice@example.com', '...', '~', 'a'.repeat(256)]) {
      const url = buildEndpointUrl(pathStyle, id);
      expect(url.pathname).toBe(`/v1/users/${id}`);
      expect(url.search).toBe('');
    }
  });

  it('refuses any other character before a request, naming it and pointing to query style', () => {
    const cases: Array<[string, string]> = [
      ['a/b', '"/" (U+002F)'],
      ['..%2Fadmin', '"%" (U+0025)'],
      ['a\\b', '"\\" (U+005C)'],
      ['%2e%2e', '"%" (U+0025)'],
      ['%252F', '"%" (U+0025)'],
      ['a b', '" " (U+0020)'],
      ['a+b', '"+" (U+002B)'],
      ['a:b', '":" (U+003A)'],
      ['a?x=1', '"?" (U+003F)'],
      ['a#frag', '"#" (U+0023)'],
      ['a;b', '";" (U+003B)'],
      ["o'neil", `"'" (U+0027)`],
      ['ü', '"ü" (U+00FC)'],
      ['😀', '"😀" (U+1F600)'],
    ];
    for (const [id, named] of cases) {
      let error: unknown;
      try {
        buildEndpointUrl(pathStyle, id);
      } catch (e) {
        error = e;
      }
      expect(error, id).toBeInstanceOf(OutboundError);
      expect((error as OutboundError).errorClass).toBe('invalid_id');
      expect((error as OutboundError).message, id).toContain(named);
      expect((error as OutboundError).message).toMatch(/query style/);
    }
  });

  it('refuses the whole segments "." and ".."', () => {
    for (const id of ['.', '..']) {
      expect(() => buildEndpointUrl(pathStyle, id)).toThrow(/"\." or "\.\."/);
    }
  });
});

describe('ids with invisible or direction-changing characters', () => {
  const invisible: Array<[string, string]> = [
    ['a\u202eb', 'U+202E'], // right-to-left override
    ['a\u200bb', 'U+200B'], // zero-width space
    ['\ufeffa', 'U+FEFF'], // byte order mark
    ['a\u2028b', 'U+2028'], // line separator
    ['a\u2029b', 'U+2029'], // paragraph separator
    ['a\ud800b', 'U+D800'], // lone surrogate
    ['a\u00adb', 'U+00AD'], // soft hyphen
    ['a\u2066b', 'U+2066'], // left-to-right isolate
    ['a\ue000b', 'U+E000'], // private use
    ['a\u0378b', 'U+0378'], // unassigned
    ['a\u0085b', 'U+0085'], // a C1 control
  ];

  it.each(['path', 'query'] as const)('are refused in %s style, naming the character', (style) => {
    const config = style === 'path' ? pathStyle : queryStyle;
    for (const [id, named] of invisible) {
      expect(() => buildEndpointUrl(config, id), named).toThrow(
        new RegExp(`${named.replace('+', '\\+')}, a control, invisible or direction-changing`),
      );
    }
  });
});

describe('query-style ids', () => {
  it('encode a space as %20 (not +) and every reserved character', () => {
    const url = buildEndpointUrl(queryStyle, "a b+c&d=e/f?g#h!'()*:@;,$[]%");
    expect(url.search).toBe(
      '?x=1&uid=a%20b%2Bc%26d%3De%2Ff%3Fg%23h%21%27%28%29%2A%3A%40%3B%2C%24%5B%5D%25',
    );
    expect(url.searchParams.get('uid')).toBe("a b+c&d=e/f?g#h!'()*:@;,$[]%");
    expect(url.hash).toBe('');
  });

  it('keep the query the template has, byte for byte, and replace a parameter of the same name', () => {
    const url = buildEndpointUrl(
      {
        url: 'https://api.acme.com/users?x=a%20b&uid=old&y',
        style: 'query',
        paramName: 'uid',
        method: 'GET',
      },
      'ü 1',
    );
    expect(url.search).toBe('?x=a%20b&y&uid=%C3%BC%201');
  });

  it('carry ids that path style refuses', () => {
    for (const id of ['a/b', 'a\\b', '%2F', '..', 'a b', 'ü']) {
      expect(buildEndpointUrl(queryStyle, id).searchParams.get('uid')).toBe(id);
    }
  });
});
