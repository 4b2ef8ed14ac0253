import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readOrCreateFile } from './data-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fresh(): string {
  const dir = mkdtempSync(join(tmpdir(), 'palaver-data-file-'));
  dirs.push(dir);
  return join(dir, 'data', 'secret.key');
}

describe('a file generated once into the data directory', () => {
  it('is created whole, readable by its owner only, with no leftovers beside it', () => {
    const file = fresh();
    expect(readOrCreateFile(file, () => 'generated\n')).toBe('generated\n');
    expect(readFileSync(file, 'utf8')).toBe('generated\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(file, '..'))).toEqual(['secret.key']);
  });

  it('is read, not generated again, once it exists', () => {
    const file = fresh();
    readOrCreateFile(file, () => 'first\n');
    const generate = vi.fn(() => 'second\n');
    expect(readOrCreateFile(file, generate)).toBe('first\n');
    expect(generate).not.toHaveBeenCalled();
  });

  it('is the other process’s when that one creates it first, while this one generates its own', () => {
    const file = fresh();
    // Another process starting at the same moment saw no file either, and wrote first.
    const content = readOrCreateFile(file, () => {
      writeFileSync(file, 'theirs\n');
      return 'mine\n';
    });
    expect(content).toBe('theirs\n');
    expect(readFileSync(file, 'utf8')).toBe('theirs\n');
    expect(readdirSync(join(file, '..'))).toEqual(['secret.key']);
  });
});
