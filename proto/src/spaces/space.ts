import { z } from 'zod';

/** Kinds of space (DOMAIN.md "One model: spaces"). */
export const spaceKinds = ['call', 'proposal', 'session', 'workshop', 'community'] as const;
export type SpaceKind = (typeof spaceKinds)[number];

/** A member's role in a space, per kind, strongest first (DOMAIN.md). */
export const spaceRolesByKind = {
  call: ['owner', 'reviewer', 'viewer'],
  proposal: ['lead', 'co-author', 'commenter', 'viewer'],
  session: ['facilitator', 'expert', 'pitcher', 'participant'],
  workshop: ['facilitator', 'participant', 'waitlisted'],
  community: ['owner', 'moderator', 'member'],
} as const satisfies Record<SpaceKind, readonly string[]>;

export type SpaceRole = (typeof spaceRolesByKind)[SpaceKind][number];
export const spaceRoles = [...new Set(Object.values(spaceRolesByKind).flat())] as [
  SpaceRole,
  ...SpaceRole[],
];

export const spaceKindSchema = z.enum(spaceKinds);
export const spaceIdSchema = z.string().regex(/^[a-f0-9]{24}$/, 'space id');
export const spaceRoleSchema = z.enum(spaceRoles);
