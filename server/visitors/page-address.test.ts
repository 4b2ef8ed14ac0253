import { describe, expect, it } from 'vitest';
import { isSecretParameter, pageAddress } from './page-address.js';

describe('the page address kept of a visit', () => {
  it('drops the fragment, the user name and the password', () => {
    expect(pageAddress('https://shop.test/a?b=1#c=2')).toBe('https://shop.test/a?b=1');
    expect(pageAddress('https://me:pw@shop.test:8443/a')).toBe('https://shop.test:8443/a');
    expect(pageAddress('http://shop.test/#')).toBe('http://shop.test/');
  });

  it('keeps the name of a secret-looking parameter and drops its value', () => {
    expect(pageAddress('https://s.test/?reset_token=abc&lang=en&token=&code')).toBe(
      'https://s.test/?reset_token=[redacted]&lang=en&token=&code',
    );
    expect(pageAddress('https://s.test/?token=a&token=b')).toBe(
      'https://s.test/?token=[redacted]&token=[redacted]',
    );
    expect(pageAddress('https://s.test/?%74oken=abc')).toBe('https://s.test/?%74oken=[redacted]');
  });

  it('keeps everything else byte for byte', () => {
    const url = 'https://s.test/p%C3%A4th?q=red+shoes&x=%2F&&y&z=a=b';
    expect(pageAddress(url)).toBe(url);
  });

  it('keeps only http and https addresses', () => {
    for (const other of [
      'javascript:alert(1)',
      'data:text/html,hi',
      'file:///etc/passwd',
      'ftp://files.test/a',
      'blob:https://s.test/1',
      '/relative/path',
      'not a url',
      '',
    ]) {
      expect(pageAddress(other), other).toBeNull();
    }
    expect(pageAddress(undefined)).toBeNull();
    expect(pageAddress(null)).toBeNull();
  });

  it('tells secret parameter names from ordinary ones', () => {
    const secret = [
      'token',
      'Token',
      'reset_token',
      'access_token',
      'refresh_token',
      'id_token',
      'accessToken',
      'resettoken',
      'csrf-token',
      'xsrfToken',
      'jwt',
      'code',
      'auth_code',
      'state',
      'password',
      'new_password',
      'passwd',
      'pwd',
      'secret',
      'client_secret',
      'key',
      'api_key',
      'apikey',
      'apiKey',
      'session',
      'session_id',
      'sessionId',
      'PHPSESSID',
      'JSESSIONID',
      'sid',
      'auth',
      'Authorization',
      'signature',
      'X-Amz-Signature',
      'X-Amz-Credential',
      'X-Amz-Security-Token',
      'Key-Pair-Id',
      'sig',
      'credential',
      'otp',
      'nonce',
      'hash',
      'ticket',
      'SAMLResponse',
    ];
    const ordinary = [
      'q',
      'page',
      'lang',
      'keyword',
      'keys_count',
      'author',
      'design',
      'monkey',
      'passenger',
      'compass',
      'codename',
      'utm_source',
      'category',
      'sort',
      'ref',
      'id',
    ];
    for (const name of secret) expect(isSecretParameter(name), name).toBe(true);
    for (const name of ordinary) expect(isSecretParameter(name), name).toBe(false);
  });
});
