import type { expertiseAreas, sectors, uiLanguages } from '@agora/proto';

import type { HideableProfileField, Role } from '@agora/proto';

export type { HideableProfileField, Role };
export type Sector = (typeof sectors)[number];
export type Expertise = (typeof expertiseAreas)[number];
export type UiLanguage = (typeof uiLanguages)[number];
export type MemberStatus = 'active' | 'deleted';

/** A member as the services see it (the repository maps the mongoose document to and from this). */
export interface MemberRecord {
  id: string;
  /** Normalised (trimmed, lower-case); a non-routable placeholder once deleted. */
  email: string;
  /** argon2id PHC string; empty once deleted. */
  passwordHash: string;
  displayName: string;
  bio: string;
  organisation: string;
  sector: Sector | null;
  country: string;
  languages: string[];
  expertise: Expertise[];
  preferredLanguage: UiLanguage;
  timeZone: string;
  avatarUrl: string | null;
  coverUrl: string | null;
  role: Role;
  status: MemberStatus;
  invitedBy: string | null;
  invitationId: string | null;
  /** Set the first time the profile is complete; `profile.completed` is emitted once, ever. */
  profileCompletedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  /** The hideable fields other members see; absent on older records: proto `defaultPublicFields`. */
  publicFields?: HideableProfileField[];
  /** Bumped on every write: updates are conditional on it (optimistic concurrency). */
  rev: number;
}

/** The profile fields a member edits (proto `profilePatchSchema`). */
export type ProfileValues = Pick<
  MemberRecord,
  | 'displayName'
  | 'bio'
  | 'organisation'
  | 'sector'
  | 'country'
  | 'languages'
  | 'expertise'
  | 'preferredLanguage'
  | 'timeZone'
  | 'publicFields'
>;
