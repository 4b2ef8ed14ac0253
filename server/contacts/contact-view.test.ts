import { describe, expect, it } from 'vitest';
import { visitorLabel } from './contact-view.js';

describe('what agents call a visitor', () => {
  it('labels a visitor by profile name, else their id, else a short stable tag', () => {
    expect(visitorLabel({ id: 'vis_1', externalUserId: 'u_42', name: 'Alice Martin' })).toBe(
      'Alice Martin',
    );
    expect(visitorLabel({ id: 'vis_abcdefWXYZ', externalUserId: 'u_42' })).toBe('u_42');
    expect(visitorLabel({ id: 'vis_abcdefwxyz', externalUserId: null })).toBe('Visitor WXYZ');
    expect(visitorLabel({ id: 'vis_abcdefwx_Y', externalUserId: null })).toBe('Visitor FWXY');
  });

  it('labels a visitor whose contact was erased as such, whatever else is known', () => {
    const erased = { id: 'vis_1', externalUserId: null, erasedAt: '2026-12-02T10:00:00.000Z' };
    expect(visitorLabel({ ...erased, name: 'Alice Martin' })).toBe('Deleted contact');
  });
});
