import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseSecretKey } from './config.js';

const made: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'palaver-config-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('configuration from the environment', () => {
  it('defaults to port 8787 and a SQLite file in the data directory', () => {
    const dir = dataDir();
    const config = loadConfig({ PALAVER_DATA_DIR: dir });
    expect(config.port).toBe(8787);
    expect(config.databaseUrl).toBe(`sqlite:${join(dir, 'palaver.sqlite')}`);
    expect(config.publicUrl).toBe('http://localhost:8787');
  });

  it('generates a secret key once and reuses it on the next start', () => {
    const dir = dataDir();
    const first = loadConfig({ PALAVER_DATA_DIR: dir });
    const second = loadConfig({ PALAVER_DATA_DIR: dir });
    expect(first.secretKeyGenerated).toBe(true);
    expect(second.secretKey.equals(first.secretKey)).toBe(true);
    expect(readFileSync(join(dir, 'secret.key'), 'utf8').trim()).toHaveLength(64);
  });

  it('accepts a hex or base64 key and rejects one of the wrong length', () => {
    const hex = 'ab'.repeat(32);
    expect(parseSecretKey(hex)).toHaveLength(32);
    expect(parseSecretKey(Buffer.alloc(32, 7).toString('base64'))).toHaveLength(32);
    expect(() => parseSecretKey('too-short')).toThrow(ConfigError);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PALAVER_DATA_DIR: dataDir(), PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PALAVER_DATA_DIR: dataDir(), PUBLIC_URL: 'ftp://x' })).toThrow(
      /PUBLIC_URL/,
    );
  });

  it('bounds database waits at 5 s unless told otherwise, and rejects a timeout that is not one', () => {
    expect(loadConfig({ PALAVER_DATA_DIR: dataDir() }).databaseTimeoutMs).toBe(5000);
    const config = loadConfig({ PALAVER_DATA_DIR: dataDir(), PALAVER_DATABASE_TIMEOUT_MS: '2000' });
    expect(config.databaseTimeoutMs).toBe(2000);
    for (const bad of ['soon', '0', '-5']) {
      expect(() =>
        loadConfig({ PALAVER_DATA_DIR: dataDir(), PALAVER_DATABASE_TIMEOUT_MS: bad }),
      ).toThrow(/PALAVER_DATABASE_TIMEOUT_MS/);
    }
  });

  it('strips a trailing slash from the public URL', () => {
    const config = loadConfig({
      PALAVER_DATA_DIR: dataDir(),
      PUBLIC_URL: 'https://chat.acme.com/',
    });
    expect(config.publicUrl).toBe('https://chat.acme.com');
  });

  it('refuses a malformed private-host allow-list at start, naming the entry', () => {
    const load = (hosts: string) =>
      loadConfig({ PALAVER_DATA_DIR: dataDir(), PALAVER_ALLOWED_PRIVATE_HOSTS: hosts });
    expect(
      load('users.internal:8443, [fd00::1]:8443, 10.0.0.0/8').identity.allowedPrivateHosts,
    ).toEqual(expect.objectContaining({ hosts: [{ host: 'users.internal', port: 8443 }] }));
    for (const entry of ['*.internal', 'users.internal:99999', '10.1']) {
      expect(() => load(`users.internal, ${entry}`)).toThrow(ConfigError);
      expect(() => load(`users.internal, ${entry}`)).toThrow(`"${entry}"`);
    }
  });
});

describe('TRUST_PROXY', () => {
  const trust = (value?: string) =>
    loadConfig({
      PALAVER_DATA_DIR: dataDir(),
      ...(value === undefined ? {} : { TRUST_PROXY: value }),
    }).trustProxy;

  it('trusts no proxy by default, nor with false or 0', () => {
    expect(trust()).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('0')).toBe(false);
  });

  it('takes true as one hop, never as every hop', () => {
    expect(trust('true')).toBe(1);
  });

  it('takes a number of hops', () => {
    expect(trust('1')).toBe(1);
    expect(trust('2')).toBe(2);
  });

  it('takes a list of proxy addresses, networks and the names loopback, linklocal, uniquelocal', () => {
    expect(trust('10.0.0.5')).toEqual(['10.0.0.5']);
    expect(trust(' 10.0.0.0/8, 2001:db8::/32 ,loopback,uniquelocal ')).toEqual([
      '10.0.0.0/8',
      '2001:db8::/32',
      'loopback',
      'uniquelocal',
    ]);
  });

  it('names the variable when a value is not an address, network or known name', () => {
    for (const bad of ['yes', '10.0.0.300', '10.0.0.0/99', '-1', '1.5', 'loopback,,', '']) {
      expect(() => trust(bad), bad).toThrow(/TRUST_PROXY/);
    }
  });
});

describe('rate limits', () => {
  it('has defaults for a chat, each configurable', () => {
    const defaults = loadConfig({ PALAVER_DATA_DIR: dataDir() });
    expect(defaults.loginRateLimit).toBe(10);
    expect(defaults.rateLimits).toEqual({
      sessionsPerAddress: 60,
      messagesPerVisitor: 30,
      messagesPerAddress: 300,
      requestsPerApiKey: 600,
    });
    const set = loadConfig({
      PALAVER_DATA_DIR: dataDir(),
      PALAVER_SESSION_RATE_LIMIT: '5',
      PALAVER_VISITOR_MESSAGE_RATE_LIMIT: '6',
      PALAVER_ADDRESS_MESSAGE_RATE_LIMIT: '7',
      PALAVER_API_KEY_RATE_LIMIT: '8',
    });
    expect(set.rateLimits).toEqual({
      sessionsPerAddress: 5,
      messagesPerVisitor: 6,
      messagesPerAddress: 7,
      requestsPerApiKey: 8,
    });
  });

  it('refuses a limit that is not a positive whole number', () => {
    for (const name of [
      'PALAVER_SESSION_RATE_LIMIT',
      'PALAVER_VISITOR_MESSAGE_RATE_LIMIT',
      'PALAVER_ADDRESS_MESSAGE_RATE_LIMIT',
      'PALAVER_API_KEY_RATE_LIMIT',
    ]) {
      for (const bad of ['0', '-3', '2.5', 'many']) {
        expect(() => loadConfig({ PALAVER_DATA_DIR: dataDir(), [name]: bad }), bad).toThrow(
          new RegExp(name),
        );
      }
    }
  });
});
