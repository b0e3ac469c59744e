import { z } from 'zod';
import { countrySchema, memberIdSchema } from '../identity/member.js';

/** The rule ids of the published MED Points table, plus charges and admin entries. */
export const publishedRuleIds = [
  'register',
  'profile-complete',
  'course-complete',
  'invitation-sent',
  'avatar-changed',
  'cover-changed',
  'profile-updated',
  'post-published',
  'likes-received-20',
  'daily-login',
  'reply-posted',
  'comment-written',
  'like-given',
] as const;
/** Rules the engine itself writes: spending, corrections and reversals by admins. */
export const systemRuleIds = ['charge', 'adjustment', 'reversal'] as const;

export const ruleIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,47}$/, 'rule id: lower-case letters, digits and dashes');

/**
 * How often a rule pays (issue 14):
 * - `per-event`: once per source object (`objectField`), e.g. each post;
 * - `once-per-member`: once per member, ever;
 * - `once-per-member-per-object`: once per member and object (a course);
 * - `daily`: once per member and calendar day (`objectField` names the day, `YYYY-MM-DD`, as the
 *   source computed it in the member's time zone; the date is the key, so a date is paid once
 *   whichever zone it was reached from);
 * - `threshold`: each time the member's count of distinct units (`unitFields`) crosses another
 *   multiple of `every`, each multiple paid once ever;
 * - `while-standing`: paid while a state stands (a like), taken back by `reversedBy`; no sequence
 *   of the two nets more than `points` for one member and object.
 */
export const ruleKinds = [
  'per-event',
  'once-per-member',
  'once-per-member-per-object',
  'daily',
  'threshold',
  'while-standing',
] as const;
export const ruleKindSchema = z.enum(ruleKinds);
export type RuleKind = z.infer<typeof ruleKindSchema>;

/** What an entry's source is, so the history can link to it. */
export const sourceTypes = [
  'member',
  'profile',
  'course',
  'invitation',
  'post',
  'comment',
  'like',
  'login',
  'card',
  'idea',
  'workshop',
  'proposal',
  'charge',
  'adjustment',
  'entry',
] as const;
export const sourceTypeSchema = z.enum(sourceTypes);

const fieldName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/, 'an event data field');
const eventType = z.string().regex(/^[a-z][a-z-]*\.[a-z][a-z-]*\.[a-z][a-z-]*$/, 'an event type');

/** What an admin or facilitator may set on a rule; the engine adds version and timestamps. */
const ruleFields = {
  id: ruleIdSchema,
  enabled: z.boolean(),
  points: z.number().int().min(1).max(10_000),
  kind: ruleKindSchema,
  /** The event type it reacts to, e.g. `chat.post.published`. */
  event: eventType,
  /** The data field holding the member who is paid. */
  memberField: fieldName,
  /** The data field holding the source object (post, invitation, day…). */
  objectField: fieldName,
  sourceType: sourceTypeSchema,
  /** An event type that takes the award back (same `objectField`), e.g. `chat.post.deleted`. */
  reversedBy: eventType.nullable(),
  /** At most this many awards of the rule per member per UTC day. */
  dailyCap: z.number().int().min(1).max(10_000).nullable(),
  /** Threshold rules: the multiple. */
  every: z.number().int().min(1).max(100_000).nullable(),
  /** Threshold rules: the fields that make one counted unit (a liker and a target). */
  unitFields: z.array(fieldName).max(4),
  /** No award when the paid member is also this field's member (no self-likes). */
  unlessSameAs: fieldName.nullable(),
  /** Only events whose field has this value (likes of posts). */
  onlyWhen: z.strictObject({ field: fieldName, equals: z.string().max(64) }).nullable(),
};
export const ruleInputSchema = z
  .strictObject(ruleFields)
  .refine((r) => r.kind !== 'threshold' || (r.every !== null && r.unitFields.length > 0), {
    message: 'a threshold rule needs `every` and `unitFields`',
  })
  .refine((r) => r.kind !== 'while-standing' || r.reversedBy !== null, {
    message: 'a while-standing rule needs `reversedBy`',
  });
export type RuleInput = z.infer<typeof ruleInputSchema>;

export const ruleSchema = z.strictObject({
  ...ruleFields,
  /** Raised on every change; each award keeps the version it was paid under. */
  version: z.number().int().min(1),
  /** Shipped disabled for facilitators to switch on (co-production actions). */
  suggested: z.boolean(),
  updatedAt: z.iso.datetime(),
  updatedBy: memberIdSchema.nullable(),
});
export type Rule = z.infer<typeof ruleSchema>;

export const levelNameSchema = z.string().trim().min(1).max(40);
export const levelSchema = z.strictObject({
  name: levelNameSchema,
  /** Balance from which the level holds. */
  from: z.number().int().min(0),
});
export type Level = z.infer<typeof levelSchema>;
/** Ascending, the first from 0. */
export const levelsSchema = z
  .array(levelSchema)
  .min(1)
  .max(20)
  .refine((l) => l[0]?.from === 0, 'the first level starts at 0')
  .refine(
    (l) => l.every((x, i) => i === 0 || x.from > (l[i - 1]?.from ?? 0)),
    'thresholds must increase',
  );

export const rulesetSchema = z.strictObject({ rules: z.array(ruleSchema), levels: levelsSchema });
export type Ruleset = z.infer<typeof rulesetSchema>;
export const rulesetUpdateSchema = z
  .strictObject({
    rules: z.array(ruleInputSchema).max(100).optional(),
    levels: levelsSchema.optional(),
  })
  .refine((u) => u.rules !== undefined || u.levels !== undefined, 'nothing to change');

export const entryIdSchema = z.string().min(1).max(200);
export const ledgerEntrySchema = z.strictObject({
  id: entryIdSchema,
  memberId: memberIdSchema,
  /** A rule of the table, or `charge`, `adjustment`, `reversal`. */
  rule: ruleIdSchema,
  /** 0 for charges, adjustments and reversals. */
  ruleVersion: z.number().int().min(0),
  /** Negative for reversals and charges. */
  points: z.number().int(),
  source: z.strictObject({ type: sourceTypeSchema, id: z.string() }),
  /** Why (charges, adjustments, reversals); null for awards. */
  reason: z.string().nullable(),
  at: z.iso.datetime(),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export const pointsSummarySchema = z.strictObject({
  memberId: memberIdSchema,
  balance: z.number().int(),
  level: levelNameSchema,
  /** null at the top level. */
  nextLevel: z.strictObject({ name: levelNameSchema, at: z.number().int() }).nullable(),
  /** 0..100 from the current level's threshold to the next. */
  progress: z.number().int().min(0).max(100),
  monthPoints: z.number().int(),
  levels: z.array(levelSchema),
});
export type PointsSummary = z.infer<typeof pointsSummarySchema>;

export const ledgerQuerySchema = z.strictObject({
  /** An entry cursor from the previous page (newest first). */
  before: z
    .string()
    .regex(/^\d{1,20}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  rule: ruleIdSchema.optional(),
  /** `award`: positive entries; `debit`: negative ones. */
  sign: z.enum(['award', 'debit']).optional(),
});
export const ledgerPageSchema = z.strictObject({
  entries: z.array(ledgerEntrySchema),
  nextCursor: z.string().nullable(),
});

export const leaderboardQuerySchema = z.strictObject({
  period: z.enum(['all', 'month']).default('all'),
  country: countrySchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});
export const leaderboardSchema = z.strictObject({
  period: z.enum(['all', 'month']),
  country: countrySchema.nullable(),
  /** `YYYY-MM` (UTC) the month board counts. */
  month: z.string(),
  entries: z.array(
    z.strictObject({
      rank: z.number().int().min(1),
      memberId: memberIdSchema,
      points: z.number().int(),
      level: levelNameSchema,
    }),
  ),
  /** The caller's place (members with more points + 1); null when they have no entry yet. */
  me: z.strictObject({ rank: z.number().int().min(1), points: z.number().int() }).nullable(),
});
export type Leaderboard = z.infer<typeof leaderboardSchema>;

const reasonSchema = z.string().trim().min(3).max(500);
export const chargeRequestSchema = z.strictObject({
  amount: z.number().int().min(1).max(1_000_000),
  reason: reasonSchema,
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, '8-100 letters, digits, - or _'),
});
export const chargeResultSchema = z.strictObject({
  entry: ledgerEntrySchema,
  balance: z.number().int(),
  /** true when this key had already charged: the first result, nothing charged again. */
  replayed: z.boolean(),
});
export const adjustmentRequestSchema = z.strictObject({
  memberId: memberIdSchema,
  points: z
    .number()
    .int()
    .min(-1_000_000)
    .max(1_000_000)
    .refine((p) => p !== 0, 'not zero'),
  reason: reasonSchema,
});
export const reversalRequestSchema = z.strictObject({
  entryId: entryIdSchema,
  reason: reasonSchema,
});
export const entryResultSchema = z.strictObject({
  entry: ledgerEntrySchema,
  balance: z.number().int(),
});

export const burstSchema = z.strictObject({
  memberId: memberIdSchema,
  rule: ruleIdSchema,
  /** Entries in the window. */
  entries: z.number().int(),
  points: z.number().int(),
  /** Distinct members whose actions paid them (likers), when the source says. */
  fromMembers: z.number().int(),
  since: z.iso.datetime(),
  entryIds: z.array(entryIdSchema),
});
export const burstQuerySchema = z.strictObject({
  windowMinutes: z.coerce.number().int().min(1).max(10_080).default(60),
  minEntries: z.coerce.number().int().min(2).max(10_000).default(10),
});
export const rebuildResultSchema = z.strictObject({
  members: z.number().int(),
  /** Members whose projection differed from the ledger's sum (then corrected). */
  mismatches: z.array(
    z.strictObject({
      memberId: memberIdSchema,
      projected: z.number().int(),
      ledger: z.number().int(),
    }),
  ),
  /** Entries found not yet applied to the projection (then applied). */
  repaired: z.number().int(),
});
