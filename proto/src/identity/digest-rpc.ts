import { z } from 'zod';
import { digestCountsSchema } from '../chat/notification.js';
import { memberIdSchema } from './member.js';
import { rpc } from '../rpc.js';

/** A calendar day, UTC: `YYYY-MM-DD`. */
export const digestDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/**
 * Identity's mail hook for chat's daily notification digest: chat says whom and how many of each,
 * identity (which alone holds addresses and languages) writes the mail in the member's language
 * and sends it at most once per member and day (a unique mail key), never empty.
 */
export const identityDigestRpc = {
  digestSend: rpc(
    'identity',
    'mail.digest.send',
    z.strictObject({ memberId: memberIdSchema, day: digestDaySchema, counts: digestCountsSchema }),
    z.strictObject({
      /** `sent`/`kept` (dev mailbox): mailed now; `already`: that day's was sent; `skipped`: no active account. */
      outcome: z.enum(['sent', 'kept', 'already', 'skipped']),
    }),
  ),
  /**
   * A waiting list gave a member their place (spaces' `registration.promoted`, heard by chat):
   * identity mails them in their language, once per promotion event (`sourceId`) whatever asks again.
   */
  promotionSend: rpc(
    'identity',
    'mail.promotion.send',
    z.strictObject({
      memberId: memberIdSchema,
      workshopId: z.string().regex(/^[a-f0-9]{24}$/, 'workshop id'),
      sourceId: z.string().min(1).max(64),
    }),
    z.strictObject({
      /** `sent`/`kept` (dev mailbox): mailed now; `already`: this promotion's was; `skipped`: no active account. */
      outcome: z.enum(['sent', 'kept', 'already', 'skipped']),
    }),
  ),
} as const;
