import { describe, expect, it } from 'vitest';
import { completenessOf } from './completeness.js';

const empty = {
  displayName: 'Leila Haddad',
  bio: '',
  organisation: '',
  sector: null,
  country: 'TN',
  languages: [],
  expertise: [],
  avatarUrl: null,
  coverUrl: null,
};

const full = {
  ...empty,
  bio: 'Urban gardens in Sfax',
  organisation: 'Sfax Commons',
  sector: 'civil-society' as const,
  languages: ['ar', 'fr'],
  expertise: ['funding' as const],
  avatarUrl: '/api/media/' + 'a'.repeat(64),
  coverUrl: '/api/media/' + 'b'.repeat(64),
};

describe('completenessOf', () => {
  it('counts what a fresh account already has (name and country) and lists the rest', () => {
    expect(completenessOf(empty)).toEqual({
      percent: 22,
      complete: false,
      missing: ['bio', 'organisation', 'sector', 'languages', 'expertise', 'avatar', 'cover'],
    });
  });

  it('is complete at 100% only when every field is filled', () => {
    expect(completenessOf(full)).toEqual({ percent: 100, complete: true, missing: [] });
    expect(completenessOf({ ...full, coverUrl: null })).toEqual({
      percent: 88,
      complete: false,
      missing: ['cover'],
    });
  });

  it('treats blank text as missing', () => {
    expect(completenessOf({ ...full, bio: '   ' }).missing).toEqual(['bio']);
  });
});
