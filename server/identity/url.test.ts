import { describe, expect, it } from 'vitest';
import { buildEndpointUrl, checkEndpointTemplate } from './url.js';

const pathStyle = {
  url: 'https://api.acme.com/v1/users/{id}',
  style: 'path',
  paramName: 'id',
} as const;
const queryStyle = {
  url: 'https://api.acme.com/users?x=1',
  style: 'query',
  paramName: 'uid',
} as const;

describe('building the site endpoint URL', () => {
  it('puts a plain id in the path', () => {
    expect(buildEndpointUrl(pathStyle, 'u_123').href).toBe('https://api.acme.com/v1/users/u_123');
  });

  it('keeps hostile ids inside one encoded path segment', () => {
    const cases: Record<string, string> = {
      '../admin': '/v1/users/..%2Fadmin',
      'a/b': '/v1/users/a%2Fb',
      'a?x=1': '/v1/users/a%3Fx%3D1',
      'a#frag': '/v1/users/a%23frag',
      '%2e%2e': '/v1/users/%252e%252e',
      'ü ñ': '/v1/users/%C3%BC%20%C3%B1',
      'a\\b': '/v1/users/a%5Cb',
    };
    for (const [id, path] of Object.entries(cases)) {
      const url = buildEndpointUrl(pathStyle, id);
      expect(url.pathname).toBe(path);
      expect(url.search).toBe('');
      expect(url.hash).toBe('');
      expect(url.host).toBe('api.acme.com');
    }
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
      checkEndpointTemplate({ url, style, paramName: 'id' }, { allowHttp });
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
        { url: 'https://api.acme.com/u/{id}.json', style: 'path', paramName: 'id' },
        { allowHttp: false },
      ),
    ).toMatch(/path segment/);
    expect(
      checkEndpointTemplate(
        { url: 'https://api.acme.com/u/{id}/profile?x=1', style: 'path', paramName: 'id' },
        { allowHttp: false },
      ),
    ).toBeNull();
  });
});
