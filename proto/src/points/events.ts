import { z } from 'zod';
import { event } from '../events.js';
import { memberIdSchema } from '../identity/member.js';
import { entryIdSchema, levelNameSchema, ruleIdSchema, sourceTypeSchema } from './points.js';

/** The points service's events: ids and amounts only. */
export const pointsEvents = {
  /** A ledger entry was applied to the member's balance (awards, reversals, charges, corrections). */
  pointsAwarded: event(
    'points',
    'points',
    'awarded',
    z.strictObject({
      memberId: memberIdSchema,
      entryId: entryIdSchema,
      rule: ruleIdSchema,
      /** Negative for reversals and charges. */
      points: z.number().int(),
      balance: z.number().int(),
      sourceType: sourceTypeSchema,
      sourceId: z.string(),
    }),
  ),
  /** The member's balance crossed a level threshold (up or down). */
  levelChanged: event(
    'points',
    'level',
    'changed',
    z.strictObject({
      memberId: memberIdSchema,
      level: levelNameSchema,
      previous: levelNameSchema,
      /** `up` when the new level's threshold is the higher one. */
      direction: z.enum(['up', 'down']),
      balance: z.number().int(),
    }),
  ),
} as const;
