import { z } from 'zod';
import { docRightSchema } from '../collab/collab-doc.js';
import { docNameSchema } from '../doc-names.js';
import { countrySchema, languageCodeSchema, memberIdSchema } from '../identity/member.js';
import { visibilitySchema } from './call.js';
import { spaceIdSchema, spaceKindSchema, spaceRoleSchema, spaceRolesByKind } from './space.js';

/** `national`: one per country, created on first use; `topic`: a group created by members. */
export const communityTypes = ['national', 'topic'] as const;
export const communityTypeSchema = z.enum(communityTypes);
export type CommunityType = z.infer<typeof communityTypeSchema>;

export const communityRoleSchema = z.enum(spaceRolesByKind.community);

export const communityCreateSchema = z.strictObject({
  title: z.string().trim().min(3).max(120),
  description: z.string().trim().max(5_000).default(''),
  /** `private`: only its members see it, its workshops, notes and guide. */
  visibility: visibilitySchema.default('public'),
  country: countrySchema.nullable().default(null),
  language: languageCodeSchema.nullable().default(null),
});

export const communityPatchSchema = z
  .strictObject({
    title: communityCreateSchema.shape.title,
    description: z.string().trim().max(5_000),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');

export const communitySchema = z.strictObject({
  id: spaceIdSchema,
  kind: z.literal('community'),
  type: communityTypeSchema,
  /** A national community's title is its country's English name (the web names it by `country`). */
  title: z.string(),
  description: z.string(),
  visibility: visibilitySchema,
  country: z.string().nullable(),
  language: z.string().nullable(),
  /** `notes:<id>`: the facilitation guide, a living document with version history. */
  docName: docNameSchema,
  memberCount: z.number().int(),
  createdBy: memberIdSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  myRole: communityRoleSchema.nullable(),
  /** The caller's right on the guide: write for owners and moderators (the trainers). */
  myRight: docRightSchema,
  /** Owners (and admins) rename it and manage its members. */
  canManage: z.boolean(),
});
export type CommunityView = z.infer<typeof communitySchema>;

export const communityListQuerySchema = z.strictObject({
  type: communityTypeSchema.optional(),
  country: countrySchema.optional(),
  /** Only those the caller is a member of. */
  mine: z.stringbool().optional(),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const communityPageSchema = z.strictObject({
  total: z.number().int(),
  items: z.array(communitySchema),
});

export const communityMemberSchema = z.strictObject({
  memberId: memberIdSchema,
  role: communityRoleSchema,
  joinedAt: z.iso.datetime(),
});
export const communityMembersSchema = z.strictObject({
  total: z.number().int(),
  items: z.array(communityMemberSchema),
});

/**
 * `GET /api/spaces/{id}`: any space, whatever its kind. `channelId` is the space's id (its chat
 * channel); `docName` is set for kinds with a co-edited document.
 */
export const spaceSummarySchema = z.strictObject({
  id: spaceIdSchema,
  kind: spaceKindSchema,
  title: z.string(),
  visibility: visibilitySchema,
  parentId: spaceIdSchema.nullable(),
  myRole: spaceRoleSchema.nullable(),
  channelId: spaceIdSchema,
  docName: docNameSchema.optional(),
});
export type SpaceSummary = z.infer<typeof spaceSummarySchema>;
