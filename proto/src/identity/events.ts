import { z } from 'zod';
import { event } from '../events.js';
import { memberIdSchema, profileFieldSchema, roleSchema } from './member.js';

/**
 * Identity's domain events: what the MED Points game (the points service) and live views need.
 * They carry ids and facts, never personal data (names, addresses, profile text): the stream keeps
 * events forever and cannot forget one member's, so a consumer that needs a profile asks identity,
 * which erases it on deletion.
 */
export const identityEvents = {
  memberRegistered: event(
    'identity',
    'member',
    'registered',
    z.strictObject({
      memberId: memberIdSchema,
      invitedBy: memberIdSchema.nullable(),
    }),
  ),
  /** First sign-in or refresh of a calendar day in the member's time zone. */
  dailyLoginRecorded: event(
    'identity',
    'daily-login',
    'recorded',
    z.strictObject({
      memberId: memberIdSchema,
      day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      timeZone: z.string(),
    }),
  ),
  profileUpdated: event(
    'identity',
    'profile',
    'updated',
    z.strictObject({ memberId: memberIdSchema, fields: z.array(z.string()).min(1) }),
  ),
  /** The completeness rule was met for the first time. */
  profileCompleted: event(
    'identity',
    'profile',
    'completed',
    z.strictObject({ memberId: memberIdSchema, fields: z.array(profileFieldSchema) }),
  ),
  avatarChanged: event(
    'identity',
    'avatar',
    'changed',
    z.strictObject({ memberId: memberIdSchema, avatarUrl: z.string() }),
  ),
  coverChanged: event(
    'identity',
    'cover',
    'changed',
    z.strictObject({ memberId: memberIdSchema, coverUrl: z.string() }),
  ),
  /** No address or token on the bus: the mailer reads them from identity's own store. */
  invitationSent: event(
    'identity',
    'invitation',
    'sent',
    z.strictObject({ invitationId: z.string().min(1), inviterId: memberIdSchema }),
  ),
  invitationAccepted: event(
    'identity',
    'invitation',
    'accepted',
    z.strictObject({
      invitationId: z.string().min(1),
      inviterId: memberIdSchema,
      memberId: memberIdSchema,
    }),
  ),
  roleChanged: event(
    'identity',
    'role',
    'changed',
    z.strictObject({ memberId: memberIdSchema, role: roleSchema, previous: roleSchema }),
  ),
  /** Personal data erased; contributions elsewhere must be shown as anonymous. */
  memberDeleted: event(
    'identity',
    'member',
    'deleted',
    z.strictObject({ memberId: memberIdSchema }),
  ),
} as const;
