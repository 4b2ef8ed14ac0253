import { describe, expect, it } from 'vitest';
import { describeBrowser, visitorLabel } from './views.js';

describe('what agents see about a visitor', () => {
  it('summarises a user agent as browser and OS', () => {
    const ua =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    expect(describeBrowser(ua)).toBe('Chrome 131 on Mac OS 10.15.7');
    expect(describeBrowser(null)).toBeNull();
    expect(describeBrowser('curl-ish nonsense')).toBeNull();
  });

  it('labels a visitor by profile name, else their id, else a short stable tag', () => {
    expect(visitorLabel({ id: 'vis_1', externalUserId: 'u_42', name: 'Alice Martin' })).toBe(
      'Alice Martin',
    );
    expect(visitorLabel({ id: 'vis_abcdefWXYZ', externalUserId: 'u_42' })).toBe('u_42');
    expect(visitorLabel({ id: 'vis_abcdefwxyz', externalUserId: null })).toBe('Visitor WXYZ');
    expect(visitorLabel({ id: 'vis_abcdefwx_Y', externalUserId: null })).toBe('Visitor FWXY');
  });
});
