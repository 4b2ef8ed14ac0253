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
});
