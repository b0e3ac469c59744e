import { describe, expect, it } from 'vitest';
import { canManageMembers, canSeeCall, proposalRight } from './rights.js';

const me = 'a'.repeat(24);
const draft = { status: 'draft' as const, openToMembers: false, reviewers: [] };

describe('proposalRight', () => {
  it('gives write to the lead and co-authors of a draft only, comment to its commenters', () => {
    expect(proposalRight(draft, me, 'lead', null)).toBe('write');
    expect(proposalRight(draft, me, 'co-author', null)).toBe('write');
    expect(proposalRight(draft, me, 'commenter', null)).toBe('comment');
    expect(proposalRight(draft, me, 'viewer', null)).toBe('read');
    for (const status of ['submitted', 'in-review', 'funded', 'not-funded', 'withdrawn'] as const)
      for (const role of ['lead', 'commenter'] as const)
        expect(proposalRight({ ...draft, status }, me, role, null)).toBe('read');
  });

  it("gives read to the call's owners, assigned reviewers and everyone once opened; none otherwise", () => {
    expect(proposalRight(draft, me, null, 'owner')).toBe('read');
    expect(proposalRight(draft, me, null, 'reviewer')).toBe('none');
    expect(proposalRight(draft, me, null, 'viewer')).toBe('none');
    expect(proposalRight({ ...draft, status: 'in-review', reviewers: [me] }, me, null, null)).toBe(
      'read',
    );
    expect(proposalRight({ ...draft, openToMembers: true }, me, null, null)).toBe('read');
    expect(proposalRight(draft, me, null, null)).toBe('none');
  });
});

describe('who manages and sees', () => {
  const member = { memberId: me, isAdmin: false };
  const admin = { memberId: me, isAdmin: true };
  it("lets leads, the call's owners and admins manage a proposal's team", () => {
    expect(canManageMembers('proposal', member, 'lead', null)).toBe(true);
    expect(canManageMembers('proposal', member, 'co-author', null)).toBe(false);
    expect(canManageMembers('proposal', member, null, 'owner')).toBe(true);
    expect(canManageMembers('proposal', admin, null, null)).toBe(true);
    expect(canManageMembers('call', member, 'reviewer', null)).toBe(false);
    expect(canManageMembers('call', member, 'owner', null)).toBe(true);
  });
  it('shows drafts and private calls to their members and admins only', () => {
    expect(canSeeCall({ visibility: 'public', stage: 'draft' }, member, null)).toBe(false);
    expect(canSeeCall({ visibility: 'public', stage: 'published' }, member, null)).toBe(true);
    expect(canSeeCall({ visibility: 'private', stage: 'published' }, member, null)).toBe(false);
    expect(canSeeCall({ visibility: 'private', stage: 'published' }, member, 'viewer')).toBe(true);
    expect(canSeeCall({ visibility: 'private', stage: 'draft' }, admin, null)).toBe(true);
  });
});
