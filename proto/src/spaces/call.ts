import { z } from 'zod';
import { sectionSeedSchema } from '../collab/collab-doc.js';
import { defaultProposalSections, sectionKeyPattern } from '../collab/doc-shape.js';
import { countrySchema, memberIdSchema, timeZoneSchema } from '../identity/member.js';
import { spaceIdSchema, spaceRoleSchema } from './space.js';

/** Visibility of a space: `public` inside Agora (every signed-in member), or `private` to its members. */
export const visibilities = ['public', 'private'] as const;
export const visibilitySchema = z.enum(visibilities);
export type Visibility = z.infer<typeof visibilitySchema>;

/** ISO 4217 currency code, upper case. */
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 currency code, e.g. "EUR"');
/** An amount in integer minor units (cents); never floating point. */
export const amountSchema = z.number().int().min(0).max(1e13);

/**
 * A deadline: an ISO 8601 instant (`2027-03-31T21:59:00Z`, `…+02:00`), or a wall-clock time without
 * offset (`2027-03-31T23:59`) read in the call's `timeZone`.
 */
export const deadlineInputSchema = z.union([
  z.iso.datetime({ offset: true }),
  z.iso.datetime({ local: true }),
]);

/** The English headings of the default sections (the web translates by key). */
export const defaultSectionHeadings: Record<(typeof defaultProposalSections)[number], string> = {
  summary: 'Summary',
  problem: 'Problem and context',
  approach: 'Co-production approach',
  partners: 'Partners by 4-helix sector',
  activities: 'Activities and timeline',
  budget: 'Budget',
  impact: 'Expected impact and indicators',
  sustainability: 'Sustainability',
};
export const defaultCallSections = defaultProposalSections.map((key) => ({
  key,
  heading: defaultSectionHeadings[key],
}));

/** An evaluation criterion: reviewers score each one from 0 to 10; weights say how much it counts. */
export const criterionSchema = z.strictObject({
  key: z.string().regex(sectionKeyPattern, 'criterion key'),
  title: z.string().trim().min(1).max(200),
  weight: z.number().int().min(1).max(100),
});
export type Criterion = z.infer<typeof criterionSchema>;

const uniqueKeys = (items: readonly { key: string }[]) =>
  new Set(items.map((i) => i.key)).size === items.length;

const callFields = {
  title: z.string().trim().min(3).max(200),
  description: z.string().trim().max(20_000),
  deadline: deadlineInputSchema,
  /** IANA zone the deadline is set and shown in. */
  timeZone: timeZoneSchema,
  totalBudget: amountSchema.min(1),
  maxPerProject: amountSchema.min(1),
  currency: currencySchema,
  /** Empty: every country may apply. */
  eligibleCountries: z.array(countrySchema).max(250),
  criteria: z.array(criterionSchema).max(20).refine(uniqueKeys, 'criterion keys must be unique'),
  /** The proposal skeleton, in order; each is a required section of a submission. */
  sections: z
    .array(sectionSeedSchema)
    .min(1)
    .max(40)
    .refine(uniqueKeys, 'section keys must be unique'),
  visibility: visibilitySchema,
};

export const callCreateSchema = z
  .strictObject({
    title: callFields.title,
    description: callFields.description.default(''),
    deadline: callFields.deadline,
    timeZone: callFields.timeZone.default('UTC'),
    totalBudget: callFields.totalBudget,
    maxPerProject: callFields.maxPerProject,
    currency: callFields.currency.default('EUR'),
    eligibleCountries: callFields.eligibleCountries.default([]),
    criteria: callFields.criteria.default([]),
    sections: callFields.sections.default(defaultCallSections),
    visibility: callFields.visibility.default('public'),
  })
  .refine((c) => c.maxPerProject <= c.totalBudget, {
    path: ['maxPerProject'],
    message: 'maxPerProject cannot exceed totalBudget',
  });
export type CallCreate = z.output<typeof callCreateSchema>;

/** What owners may change while the call is a draft (the amounts are checked together by spaces). */
export const callPatchSchema = z
  .strictObject({
    title: callFields.title,
    description: callFields.description,
    deadline: callFields.deadline,
    timeZone: callFields.timeZone,
    totalBudget: callFields.totalBudget,
    maxPerProject: callFields.maxPerProject,
    currency: callFields.currency,
    eligibleCountries: callFields.eligibleCountries,
    criteria: callFields.criteria,
    sections: callFields.sections,
    visibility: callFields.visibility,
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');
export type CallPatch = z.output<typeof callPatchSchema>;

/** `draft` until published; `open` from publication to the deadline; `closed` after it. */
export const callStatuses = ['draft', 'open', 'closed'] as const;
export const callStatusSchema = z.enum(callStatuses);
export type CallStatus = z.infer<typeof callStatusSchema>;

export const callSchema = z.strictObject({
  id: spaceIdSchema,
  kind: z.literal('call'),
  title: z.string(),
  description: z.string(),
  status: callStatusSchema,
  /** ISO 8601 UTC instant; shown in `timeZone`. */
  deadline: z.iso.datetime(),
  timeZone: z.string(),
  totalBudget: z.number().int(),
  maxPerProject: z.number().int(),
  currency: z.string(),
  eligibleCountries: z.array(z.string()),
  criteria: z.array(criterionSchema),
  sections: z.array(sectionSeedSchema),
  visibility: visibilitySchema,
  createdBy: memberIdSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  publishedAt: z.iso.datetime().nullable(),
  /** The caller's role in the call, if any. */
  myRole: spaceRoleSchema.nullable(),
  /** Whether the caller may edit, publish, assign reviewers and decide (owners and admins). */
  canManage: z.boolean(),
});
export type CallView = z.infer<typeof callSchema>;

export const callListQuerySchema = z.strictObject({
  /** `draft` lists only the calls the caller owns (or all, for an admin). */
  status: callStatusSchema.optional(),
  /** Only calls the caller is a member of (owner, reviewer, viewer). */
  mine: z.stringbool().optional(),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const callPageSchema = z.strictObject({
  total: z.number().int(),
  items: z.array(callSchema),
});
