import { describe, expect, it } from 'vitest';
import { classifyStatus, outcomeOf, retryAfterMs } from './classify.js';

const START = Date.parse('2030-01-01T10:00:00.000Z');
const get = { post: false, retryAfter: undefined, now: START };
const post = { ...get, post: true };

describe('what a status means', () => {
  it('maps every status class of the contract to its outcome', () => {
    const outcomes = [404, 410, 401, 403, 429, 500, 503, 301, 302, 400, 418, 100, 204].map(
      (code) => [code, classifyStatus(code, get).outcome, classifyStatus(code, get).errorClass],
    );
    expect(outcomes).toEqual([
      [404, 'not_found', null],
      [410, 'not_found', null],
      [401, 'unauthorized', 'unauthorized'],
      [403, 'unauthorized', 'unauthorized'],
      [429, 'rate_limited', 'rate_limited'],
      [500, 'server_error', 'server_error'],
      [503, 'server_error', 'server_error'],
      [301, 'config_error', 'redirect'],
      [302, 'config_error', 'redirect'],
      [400, 'invalid_response', 'bad_status'],
      [418, 'invalid_response', 'bad_status'],
      [100, 'config_error', 'bad_status'],
      [204, 'config_error', 'bad_status'],
    ]);
  });

  it('reads 400 from a data-sync (POST) endpoint as an unknown user', () => {
    expect(classifyStatus(400, post).outcome).toBe('not_found');
    expect(classifyStatus(418, post).message).toBe(
      'HTTP 418 for this user; the contract allows 200, 404/410 (or 400) for an unknown user, 401/403, 429 and 5xx',
    );
  });

  it('asks for a pause only on 429, as long as Retry-After says', () => {
    expect(classifyStatus(429, { ...get, retryAfter: '30' })).toEqual({
      outcome: 'rate_limited',
      errorClass: 'rate_limited',
      message: 'HTTP 429: the site asked to wait 30 s',
      pauseMs: 30_000,
    });
    expect(classifyStatus(503, get).pauseMs).toBeUndefined();
  });

  it('reads Retry-After with a default when absent or unreadable, and a cap', () => {
    expect(retryAfterMs('30', START)).toBe(30_000);
    expect(retryAfterMs(undefined, START)).toBe(60_000);
    expect(retryAfterMs('soon', START)).toBe(60_000);
    expect(retryAfterMs('-5', START)).toBe(60_000);
    expect(retryAfterMs('999999', START)).toBe(15 * 60_000);
    expect(retryAfterMs(new Date(START - 1000).toUTCString(), START)).toBe(60_000);
  });
});

describe('what a failure before an answer means', () => {
  it('names the outcome after the error class', () => {
    expect(outcomeOf('timeout')).toBe('timeout');
    expect(outcomeOf('blocked_address')).toBe('blocked');
    expect(outcomeOf('too_large')).toBe('invalid_response');
    expect(outcomeOf('dns')).toBe('network_error');
  });
});
