import { describe, expect, it } from 'vitest';
import { canPost, canRead, feedRight } from './feed-access.js';

const space = 'a'.repeat(24);

describe('feedRight', () => {
  it('gives every member the main feed and admins every feed to moderate', () => {
    expect(feedRight('member', null, null)).toBe('post');
    expect(feedRight('facilitator', null, null)).toBe('post');
    expect(feedRight('admin', null, null)).toBe('moderate');
    expect(feedRight('admin', space, null)).toBe('moderate');
  });

  it('keeps a space’s feed to those spaces names, by role', () => {
    expect(feedRight('member', space, null)).toBe('none');
    expect(feedRight('member', space, 'viewer')).toBe('read');
    expect(feedRight('member', space, 'waitlisted')).toBe('read');
    expect(feedRight('member', space, 'member')).toBe('post');
    expect(feedRight('member', space, 'participant')).toBe('post');
    for (const role of ['owner', 'moderator', 'facilitator'] as const)
      expect(feedRight('member', space, role)).toBe('moderate');
  });

  it('reads and posts accordingly', () => {
    expect([canRead('none'), canRead('read'), canRead('post')]).toEqual([false, true, true]);
    expect([canPost('read'), canPost('post'), canPost('moderate')]).toEqual([false, true, true]);
  });
});
