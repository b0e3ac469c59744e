import { profileFields } from '@agora/proto';
import type { MemberRecord } from './member.types.js';

export type ProfileField = (typeof profileFields)[number];

export interface Completeness {
  percent: number;
  complete: boolean;
  missing: ProfileField[];
}

type CompletenessInput = Pick<
  MemberRecord,
  | 'displayName'
  | 'bio'
  | 'organisation'
  | 'sector'
  | 'country'
  | 'languages'
  | 'expertise'
  | 'avatarUrl'
  | 'coverUrl'
>;

const filled: Record<ProfileField, (m: CompletenessInput) => boolean> = {
  displayName: (m) => m.displayName.trim().length > 0,
  bio: (m) => m.bio.trim().length > 0,
  organisation: (m) => m.organisation.trim().length > 0,
  sector: (m) => m.sector !== null,
  country: (m) => /^[A-Z]{2}$/.test(m.country),
  languages: (m) => m.languages.length > 0,
  expertise: (m) => m.expertise.length > 0,
  avatar: (m) => m.avatarUrl !== null,
  cover: (m) => m.coverUrl !== null,
};

/** The completeness rule: every field in proto `profileFields` filled; the member sees what is missing. */
export function completenessOf(member: CompletenessInput): Completeness {
  const missing = profileFields.filter((field) => !filled[field](member));
  const done = profileFields.length - missing.length;
  return {
    percent: Math.floor((done * 100) / profileFields.length),
    complete: missing.length === 0,
    missing,
  };
}
