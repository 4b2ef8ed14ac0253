import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, SecretDecryptionError } from './secrets.js';

describe('secrets at rest', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed, and the sealed text does not contain the secret', () => {
    const sealed = box.seal('Bearer sk_live_canary', 'project:demo:headers');
    expect(sealed).not.toContain('canary');
    expect(box.open(sealed, 'project:demo:headers')).toBe('Bearer sk_live_canary');
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal('x', 'c')).not.toBe(box.seal('x', 'c'));
  });

  it('refuses a ciphertext moved to another context, tampered with, or opened with another key', () => {
    const sealed = box.seal('secret', 'project:a');
    expect(() => box.open(sealed, 'project:b')).toThrow(SecretDecryptionError);
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => box.open(tampered, 'project:a')).toThrow(SecretDecryptionError);
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'project:a')).toThrow(
      /PALAVER_SECRET_KEY/,
    );
  });
});
