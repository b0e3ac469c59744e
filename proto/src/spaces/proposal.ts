import { z } from 'zod';
import { docRightSchema, versionIdSchema } from '../collab/collab-doc.js';
import { docNameSchema } from '../doc-names.js';
import { countrySchema, emailSchema, expertiseSchema, memberIdSchema } from '../identity/member.js';
import { criterionSchema, visibilitySchema } from './call.js';
import { spaceIdSchema, spaceRoleSchema, spaceRolesByKind } from './space.js';

/** A proposal's lifecycle (issue 10): withdrawn, funded and not-funded are final. */
export const proposalStatuses = [
  'draft',
  'submitted',
  'in-review',
  'funded',
  'not-funded',
  'withdrawn',
] as const;
export const proposalStatusSchema = z.enum(proposalStatuses);
export type ProposalStatus = z.infer<typeof proposalStatusSchema>;

export const decisionOutcomes = ['funded', 'not-funded'] as const;
export const decisionOutcomeSchema = z.enum(decisionOutcomes);

export const proposalRoleSchema = z.enum(spaceRolesByKind.proposal);
export const proposalTitleSchema = z.string().trim().min(3).max(200);

export const proposalCreateSchema = z.strictObject({
  title: proposalTitleSchema,
  /** Where the pilot project happens (a call with eligible countries requires one of them). */
  country: countrySchema.optional(),
});

export const proposalPatchSchema = z
  .strictObject({
    title: proposalTitleSchema,
    country: countrySchema.nullable(),
    /** Let every signed-in member read the proposal (and its document). */
    openToMembers: z.boolean(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');

export const submissionSchema = z.strictObject({
  versionId: versionIdSchema,
  submittedAt: z.iso.datetime(),
  submittedBy: memberIdSchema,
});

export const decisionSchema = z.strictObject({
  outcome: decisionOutcomeSchema,
  note: z.string(),
  decidedBy: memberIdSchema,
  decidedAt: z.iso.datetime(),
});

export const proposalSchema = z.strictObject({
  id: spaceIdSchema,
  kind: z.literal('proposal'),
  callId: spaceIdSchema,
  title: z.string(),
  /** `proposal:<id>`: the co-edited body and budget. */
  docName: docNameSchema,
  status: proposalStatusSchema,
  visibility: visibilitySchema,
  openToMembers: z.boolean(),
  country: z.string().nullable(),
  createdBy: memberIdSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Whether collab has written the skeleton yet (retried until it has). */
  seeded: z.boolean(),
  /** Each submission's frozen version, oldest first. */
  submissions: z.array(submissionSchema),
  reviewers: z.array(memberIdSchema),
  decision: decisionSchema.nullable(),
  /** The caller's team role, if any. */
  myRole: proposalRoleSchema.nullable(),
  /** The caller's right on the document (as `doc.access` answers it). */
  myRight: docRightSchema,
});
export type ProposalView = z.infer<typeof proposalSchema>;

/** What a submission checked and found failing (the 422's `details`). */
export const submissionCheckSchema = z.discriminatedUnion('check', [
  z.strictObject({
    check: z.literal('section-missing'),
    section: z.string(),
    message: z.string(),
  }),
  z.strictObject({
    check: z.literal('section-too-short'),
    section: z.string(),
    chars: z.number().int(),
    required: z.number().int(),
    message: z.string(),
  }),
  z.strictObject({
    check: z.literal('budget-line-invalid'),
    line: z.number().int(),
    message: z.string(),
  }),
  z.strictObject({
    check: z.literal('budget-over-cap'),
    total: z.number(),
    maxPerProject: z.number().int(),
    currency: z.string(),
    message: z.string(),
  }),
]);
export type SubmissionCheck = z.infer<typeof submissionCheckSchema>;

const page = {
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};

/** REST query of the proposal list (strings from the URL). */
export const proposalListQuerySchema = z.strictObject({
  callId: spaceIdSchema.optional(),
  country: countrySchema.optional(),
  status: proposalStatusSchema.optional(),
  /** Only proposals whose team the caller is on. */
  mine: z.stringbool().optional(),
  /** Only proposals the caller is an assigned reviewer of (the reviewer's queue). */
  reviewing: z.stringbool().optional(),
  /** Words of the title, matched from their start, accents and case ignored. */
  q: z.string().trim().max(200).optional(),
  ...page,
});

export const proposalPageSchema = z.strictObject({
  total: z.number().int(),
  items: z.array(proposalSchema),
});

export const scoreSchema = z.strictObject({
  criterion: criterionSchema.shape.key,
  score: z.number().int().min(0).max(10),
  comment: z.string().trim().min(1).max(5_000),
});

export const reviewCreateSchema = z.strictObject({
  scores: z.array(scoreSchema).max(20),
  comment: z.string().trim().max(10_000).default(''),
});

export const reviewSchema = z.strictObject({
  id: z.string(),
  proposalId: spaceIdSchema,
  reviewerId: memberIdSchema,
  scores: z.array(scoreSchema),
  comment: z.string(),
  /** Σ score × weight / Σ weight, 0..10 (null without criteria). */
  weightedScore: z.number().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ReviewView = z.infer<typeof reviewSchema>;

export const decisionCreateSchema = z.strictObject({
  outcome: decisionOutcomeSchema,
  note: z.string().trim().max(10_000).default(''),
});

/** A space's member. */
export const memberEntrySchema = z.strictObject({
  status: z.literal('active'),
  memberId: memberIdSchema,
  role: spaceRoleSchema,
  /** A session expert's area (absent for every other role). */
  area: expertiseSchema.optional(),
  addedBy: memberIdSchema.nullable(),
  addedAt: z.iso.datetime(),
});
/** An email invitation whose role waits for the invitee to join Agora. */
export const pendingMemberSchema = z.strictObject({
  status: z.literal('invited'),
  invitationId: z.string(),
  role: spaceRoleSchema,
  invitedBy: memberIdSchema,
  invitedAt: z.iso.datetime(),
});
export const spaceMemberSchema = z.discriminatedUnion('status', [
  memberEntrySchema,
  pendingMemberSchema,
]);

export const memberAddSchema = z.union([
  z.strictObject({
    memberId: memberIdSchema,
    role: spaceRoleSchema,
    /** A session's expert gives feedback in this area (required for them, refused for others). */
    area: expertiseSchema.optional(),
  }),
  z.strictObject({
    email: emailSchema,
    role: spaceRoleSchema,
    message: z.string().trim().max(1000).default(''),
  }),
]);

export const memberListSchema = z.strictObject({
  items: z.array(memberEntrySchema),
  pending: z.array(pendingMemberSchema),
});
