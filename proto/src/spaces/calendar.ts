import { z } from 'zod';
import { spaceIdSchema } from './space.js';

/** A calendar feed token: 43 base64url characters (256 bits). */
export const calendarTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'calendar token');

/** The member's private feed: whoever has the URL reads it, so `reset` replaces it. */
export const calendarFeedInfoSchema = z.strictObject({
  token: calendarTokenSchema,
  /** `<PUBLIC_URL>/api/calendar/<token>.ics`, for a calendar app's "subscribe by URL". */
  feedUrl: z.url(),
});

/** One entry of the member's calendar: a workshop or a Market Place session they take part in. */
export const calendarEntrySchema = z.strictObject({
  kind: z.enum(['workshop', 'session']),
  id: spaceIdSchema,
  title: z.string(),
  /** ISO 8601 UTC instants; `timeZone` is the place's zone. */
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  timeZone: z.string(),
  /** `facilitator` (runs it) or the member's role in it. */
  role: z.string(),
  place: z.string(),
});
export type CalendarEntry = z.infer<typeof calendarEntrySchema>;

export const calendarEntriesQuerySchema = z.strictObject({
  /** Default: now (what has not ended yet). */
  from: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const calendarEntriesSchema = z.strictObject({ items: z.array(calendarEntrySchema) });

/** An iCalendar (RFC 5545) document, the gateway answers it as `text/calendar`. */
export const icsSchema = z.strictObject({ ics: z.string(), filename: z.string() });
