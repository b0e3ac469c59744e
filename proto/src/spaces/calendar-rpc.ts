import { z } from 'zod';
import { rpc } from '../rpc.js';
import {
  calendarEntriesQuerySchema,
  calendarEntriesSchema,
  calendarFeedInfoSchema,
  calendarTokenSchema,
  icsSchema,
} from './calendar.js';

const member = { actor: 'member' } as const;

/** The member's calendar: its private iCal feed and the list the calendar page shows. */
export const calendarRpc = {
  /** The feed's token and URL (issued on first use). */
  calendarInfo: rpc('spaces', 'calendar.info', z.strictObject({}), calendarFeedInfoSchema, member),
  /** A new token: the old feed URL answers 404 from now on. */
  calendarReset: rpc(
    'spaces',
    'calendar.reset',
    z.strictObject({}),
    calendarFeedInfoSchema,
    member,
  ),
  calendarEntries: rpc(
    'spaces',
    'calendar.entries',
    calendarEntriesQuerySchema.extend({ limit: z.number().int().min(1).max(200).default(100) }),
    calendarEntriesSchema,
    member,
  ),
  /** The feed of whoever holds the token (no member token: calendar apps have none); NOT_FOUND otherwise. */
  calendarFeed: rpc(
    'spaces',
    'calendar.feed',
    z.strictObject({ token: calendarTokenSchema }),
    icsSchema,
  ),
} as const;
