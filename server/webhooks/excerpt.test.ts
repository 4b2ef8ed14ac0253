import { describe, expect, it } from 'vitest';
import { answerExcerpt } from './excerpt.js';

describe('answerExcerpt', () => {
  it('keeps what an admin needs and masks tokens, emails and long numbers', () => {
    const body = Buffer.from(
      'invalid signature for ada@example.com, key sk_live_0123456789abcdefghijkl, card 4242424242424242',
    );
    expect(answerExcerpt(body)).toBe(
      'invalid signature for [email], key [redacted], card [number]',
    );
  });

  it('keeps at most 200 characters on one line, and nothing of an empty answer', () => {
    const long = answerExcerpt(Buffer.from(`line one\nline two ${'é '.repeat(300)}`));
    expect(long).toMatch(/^line one line two é/);
    expect([...(long ?? '')].length).toBe(200);
    expect(answerExcerpt(Buffer.from(' \n '))).toBeNull();
  });
});
