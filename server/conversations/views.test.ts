import { describe, expect, it } from 'vitest';
import { describeBrowser } from './views.js';

describe('what agents see about a visitor', () => {
  it('summarises a user agent as browser and OS', () => {
    const ua =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    expect(describeBrowser(ua)).toBe('Chrome 131 on Mac OS 10.15.7');
    expect(describeBrowser(null)).toBeNull();
    expect(describeBrowser('curl-ish nonsense')).toBeNull();
  });
});
