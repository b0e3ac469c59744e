import { z } from 'zod';
import {
  calendarEntriesQuerySchema,
  calendarEntriesSchema,
  calendarFeedInfoSchema,
  calendarTokenSchema,
} from '../spaces/calendar.js';
import { route } from './route.js';

/** The calendar (issue 12): a member's private iCal feed and the entries of the calendar page. */
export const calendarRoutes = {
  calendarFeed: route({
    method: 'GET',
    path: '/calendar/:token.ics',
    tag: 'calendar',
    // Calendar apps subscribe by URL with no account: the secret token is the credential.
    auth: 'public',
    status: 200,
    summary:
      "A member's iCalendar feed (RFC 5545, a VTIMEZONE per zone): workshops and sessions they are registered for or run; 404 once reset",
    params: z.strictObject({ token: calendarTokenSchema }),
    response: 'binary',
  }),
  calendarInfo: route({
    method: 'GET',
    path: '/me/calendar',
    tag: 'calendar',
    auth: 'member',
    status: 200,
    summary: 'My feed token and its URL to subscribe to from a calendar app',
    response: calendarFeedInfoSchema,
  }),
  calendarReset: route({
    method: 'POST',
    path: '/me/calendar/reset',
    tag: 'calendar',
    auth: 'member',
    status: 200,
    summary: 'Issue a new feed token: the old URL answers 404 from now on',
    response: calendarFeedInfoSchema,
  }),
  calendarEntries: route({
    method: 'GET',
    path: '/me/calendar/entries',
    tag: 'calendar',
    auth: 'member',
    status: 200,
    summary: 'My upcoming workshops and sessions (registered for or run), soonest first',
    query: calendarEntriesQuerySchema,
    response: calendarEntriesSchema,
  }),
} as const;
