import { describe, expect, it } from 'vitest';
import { canSeeWorkshop, guideRight, notesRight } from './workshop-rights.js';

const member = { memberId: 'a'.repeat(24), isAdmin: false };
const pub = { stage: 'published' as const, visibility: 'public' as const };
const priv = { stage: 'published' as const, visibility: 'private' as const };
const draft = { stage: 'draft' as const, visibility: 'public' as const };

describe('workshop rights', () => {
  it('lets facilitators and registered participants write the notes, the rest of the community read', () => {
    expect(notesRight(pub, 'facilitator', null)).toBe('write');
    expect(notesRight(pub, 'participant', null)).toBe('write');
    expect(notesRight(pub, 'waitlisted', null)).toBe('read');
    expect(notesRight(pub, null, null)).toBe('read');
    expect(notesRight(priv, null, 'member')).toBe('read');
    expect(notesRight(priv, null, null)).toBe('none');
    expect(notesRight(draft, null, 'owner')).toBe('none');
    expect(notesRight(draft, 'facilitator', null)).toBe('write');
  });

  it("hides a draft from all but its facilitators, and a private community's workshop from outsiders", () => {
    expect(canSeeWorkshop(draft, member, null, 'member')).toBe(false);
    expect(canSeeWorkshop(draft, member, 'facilitator', null)).toBe(true);
    expect(canSeeWorkshop(priv, member, null, null)).toBe(false);
    expect(canSeeWorkshop(priv, member, null, 'member')).toBe(true);
    expect(canSeeWorkshop(priv, { ...member, isAdmin: true }, null, null)).toBe(true);
  });

  it("gives the guide's pen to the trainers (owners, moderators) and read to the others who may see it", () => {
    expect(guideRight('private', 'owner')).toBe('write');
    expect(guideRight('private', 'moderator')).toBe('write');
    expect(guideRight('private', 'member')).toBe('read');
    expect(guideRight('private', null)).toBe('none');
    expect(guideRight('public', null)).toBe('read');
  });
});
