import { z } from 'zod';
import { countrySchema } from '../identity/member.js';
import { rpc } from '../rpc.js';
import {
  adjustmentRequestSchema,
  burstQuerySchema,
  burstSchema,
  chargeRequestSchema,
  chargeResultSchema,
  entryResultSchema,
  leaderboardQuerySchema,
  leaderboardSchema,
  ledgerPageSchema,
  ledgerQuerySchema,
  pointsSummarySchema,
  rebuildResultSchema,
  rulesetSchema,
  rulesetUpdateSchema,
  reversalRequestSchema,
} from './points.js';

const member = { actor: 'member' } as const;

/**
 * The points service's calls, all made for a member (the gateway forwards their token). Rules are
 * read and changed by facilitators and admins; adjustments, reversals, bursts and the rebuild are
 * admins' (the token's role).
 */
export const pointsRpc = {
  /**
   * The caller's balance and level. `country` is identity's country of the caller, which the
   * gateway reads with the caller's token: points keeps it for the per-country leaderboard.
   */
  meGet: rpc(
    'points',
    'me.get',
    z.strictObject({ country: countrySchema.optional() }),
    pointsSummarySchema,
    member,
  ),
  ledgerList: rpc('points', 'ledger.list', ledgerQuerySchema, ledgerPageSchema, member),
  leaderboardGet: rpc(
    'points',
    'leaderboard.get',
    leaderboardQuerySchema,
    leaderboardSchema,
    member,
  ),
  rulesGet: rpc('points', 'rules.get', z.strictObject({}), rulesetSchema, member),
  rulesUpdate: rpc('points', 'rules.update', rulesetUpdateSchema, rulesetSchema, member),
  adjustmentCreate: rpc(
    'points',
    'adjustment.create',
    adjustmentRequestSchema,
    entryResultSchema,
    member,
  ),
  /** Exactly once per (member, idempotencyKey); `INSUFFICIENT_POINTS` when the balance is short. */
  chargeCreate: rpc('points', 'charge.create', chargeRequestSchema, chargeResultSchema, member),
  reversalCreate: rpc(
    'points',
    'reversal.create',
    reversalRequestSchema,
    entryResultSchema,
    member,
  ),
  burstsList: rpc(
    'points',
    'bursts.list',
    burstQuerySchema,
    z.strictObject({ bursts: z.array(burstSchema) }),
    member,
  ),
  /** Recomputes every balance from the ledger, reports and corrects any difference. */
  rebuild: rpc('points', 'rebuild', z.strictObject({}), rebuildResultSchema, member),
} as const;
