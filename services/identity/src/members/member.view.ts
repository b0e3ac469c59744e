import type { PrivateMember, PublicMember } from '@agora/proto';
import { completenessOf } from './completeness.js';
import type { MemberRecord } from './member.types.js';

/** What anyone signed in may see (proto `publicMemberSchema`). */
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

/** What a member sees of themselves (proto `privateMemberSchema`). */
export function toPrivateMember(m: MemberRecord): PrivateMember {
  return {
    ...toPublicMember(m),
    email: m.email,
    preferredLanguage: m.preferredLanguage,
    timeZone: m.timeZone,
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
