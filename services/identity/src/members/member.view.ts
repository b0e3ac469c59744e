import type { Person, PrivateMember, PublicMember } from '@agora/proto';
import { publicFieldsOf } from '../people/directory-keys.js';
import { completenessOf } from './completeness.js';
import type { MemberRecord } from './member.types.js';

/** Who is looking: the member themselves and admins see every field, other members what is shown. */
export type Viewer = 'full' | 'member';

/** Every profile field (proto `publicMemberSchema`), for the member themselves and admins. */
export function toPublicMember(m: MemberRecord): PublicMember {
  return {
    id: m.id,
    displayName: m.displayName,
    bio: m.bio,
    organisation: m.organisation,
    sector: m.sector,
    country: m.country,
    languages: [...m.languages],
    expertise: [...m.expertise],
    avatarUrl: m.avatarUrl,
    coverUrl: m.coverUrl,
    role: m.role,
  };
}

/** The member as `viewer` may see them: the fields they keep private come empty. */
export function toMemberSeenBy(m: MemberRecord, viewer: Viewer): PublicMember {
  const full = toPublicMember(m);
  if (viewer === 'full') return full;
  const shown = new Set(publicFieldsOf(m));
  return {
    ...full,
    bio: shown.has('bio') ? full.bio : '',
    organisation: shown.has('organisation') ? full.organisation : '',
    sector: shown.has('sector') ? full.sector : null,
    languages: shown.has('languages') ? full.languages : [],
    expertise: shown.has('expertise') ? full.expertise : [],
    coverUrl: shown.has('cover') ? full.coverUrl : null,
  };
}

/** The directory's and profile page's view (proto `personSchema`): private fields are null. */
export function toPerson(
  m: Pick<
    MemberRecord,
    | 'id'
    | 'displayName'
    | 'avatarUrl'
    | 'coverUrl'
    | 'country'
    | 'role'
    | 'bio'
    | 'organisation'
    | 'sector'
    | 'languages'
    | 'expertise'
    | 'publicFields'
    | 'createdAt'
  >,
  viewer: Viewer,
): Person {
  const shown = new Set(publicFieldsOf(m));
  const show = (field: Parameters<typeof shown.has>[0]) => viewer === 'full' || shown.has(field);
  return {
    id: m.id,
    displayName: m.displayName,
    avatarUrl: m.avatarUrl,
    country: m.country,
    role: m.role,
    bio: show('bio') ? m.bio : null,
    organisation: show('organisation') ? m.organisation : null,
    sector: show('sector') ? m.sector : null,
    languages: show('languages') ? [...m.languages] : null,
    expertise: show('expertise') ? [...m.expertise] : null,
    coverUrl: show('cover') ? m.coverUrl : null,
    publicFields: publicFieldsOf(m),
    memberSince: m.createdAt.toISOString(),
  };
}

/** What a member sees of themselves (proto `privateMemberSchema`). */
export function toPrivateMember(m: MemberRecord): PrivateMember {
  return {
    ...toPublicMember(m),
    email: m.email,
    preferredLanguage: m.preferredLanguage,
    timeZone: m.timeZone,
    publicFields: publicFieldsOf(m),
    completeness: completenessOf(m),
    createdAt: m.createdAt.toISOString(),
  };
}

/** Where a stored image is served (gateway `GET /api/media/:id`). */
export function mediaUrl(mediaId: string): string {
  return `/api/media/${mediaId}`;
}

export function mediaIdFromUrl(url: string | null): string | null {
  const match = url ? /^\/api\/media\/([a-f0-9]{64})$/.exec(url) : null;
  return match?.[1] ?? null;
}
