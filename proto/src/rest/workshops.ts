import { z } from 'zod';
import { spaceIdSchema } from '../spaces/space.js';
import {
  attendanceSchema,
  attendeeCreateSchema,
  attendeeSchema,
  myRegistrationSchema,
  registrationStatusSchema,
  rosterSchema,
  workshopCreateSchema,
  workshopListQuerySchema,
  workshopPageSchema,
  workshopPatchSchema,
  workshopSchema,
} from '../spaces/workshop.js';
import { route } from './route.js';

const idParams = z.strictObject({ id: spaceIdSchema });

/**
 * Workshops' REST routes (issue 12). Refusals: 403 `FORBIDDEN` (not a facilitator of it), 404 for
 * a workshop the caller may not see, 409 `INVALID_STATE` (registration closed, a draft, already
 * started), 409 `CONFLICT` (already registered).
 */
export const workshopRoutes = {
  workshopCreate: route({
    method: 'POST',
    path: '/workshops',
    tag: 'workshops',
    auth: 'member',
    status: 201,
    summary:
      'Create a national workshop (facilitators and admins): published at once unless `draft`; its notes are `notes:<id>`',
    body: workshopCreateSchema,
    response: workshopSchema,
  }),
  workshopList: route({
    method: 'GET',
    path: '/workshops',
    tag: 'workshops',
    auth: 'member',
    status: 200,
    summary: 'Workshops I may see, by country, language, format; upcoming soonest first',
    query: workshopListQuerySchema,
    response: workshopPageSchema,
  }),
  workshopGet: route({
    method: 'GET',
    path: '/workshops/:id',
    tag: 'workshops',
    auth: 'member',
    status: 200,
    summary:
      'A workshop: dates in its place’s time zone, agenda, outcomes, counts, my registration',
    params: idParams,
    response: workshopSchema,
  }),
  workshopUpdate: route({
    method: 'PATCH',
    path: '/workshops/:id',
    tag: 'workshops',
    auth: 'member',
    status: 200,
    summary:
      'Change any field (its facilitators): a raised capacity promotes the waiting list in order; `draft: false` publishes',
    params: idParams,
    body: workshopPatchSchema,
    response: workshopSchema,
  }),
  registrationCreate: route({
    method: 'POST',
    path: '/workshops/:id/registrations',
    tag: 'workshops',
    auth: 'member',
    status: 201,
    summary: 'Register myself: a place, or the waiting list with my 1-based position when full',
    params: idParams,
    response: registrationStatusSchema,
  }),
  registrationCancel: route({
    method: 'DELETE',
    path: '/workshops/:id/registrations/me',
    tag: 'workshops',
    auth: 'member',
    status: 204,
    summary:
      'Cancel my registration or leave the waiting list; a freed place goes to the first in line',
    params: idParams,
    response: null,
  }),
  registrationGet: route({
    method: 'GET',
    path: '/workshops/:id/registrations/me',
    tag: 'workshops',
    auth: 'member',
    status: 200,
    summary: 'My registration: registered, waitlisted (with position) or none',
    params: idParams,
    response: myRegistrationSchema,
  }),
  rosterGet: route({
    method: 'GET',
    path: '/workshops/:id/registrations',
    tag: 'workshops',
    auth: 'member',
    status: 200,
    summary: 'Facilitators, registered participants and the waiting list in order (facilitators)',
    params: idParams,
    response: rosterSchema,
  }),
  attendanceList: route({
    method: 'GET',
    path: '/workshops/:id/attendance',
    tag: 'workshops',
    auth: 'member',
    status: 200,
    summary:
      'Who came, with counts by sector (facilitators only: people without accounts are private)',
    params: idParams,
    response: attendanceSchema,
  }),
  attendanceAdd: route({
    method: 'POST',
    path: '/workshops/:id/attendance',
    tag: 'workshops',
    auth: 'member',
    status: 201,
    summary:
      'Mark someone present (facilitators): a member by id, or a person without an account by name, organisation, sector',
    params: idParams,
    body: attendeeCreateSchema,
    response: attendeeSchema,
  }),
  attendanceRemove: route({
    method: 'DELETE',
    path: '/workshops/:id/attendance/:attendeeId',
    tag: 'workshops',
    auth: 'member',
    status: 204,
    summary: 'Remove an attendance mark (facilitators)',
    params: z.strictObject({ id: spaceIdSchema, attendeeId: z.string().regex(/^[a-f0-9]{24}$/) }),
    response: null,
  }),
  workshopIcs: route({
    method: 'GET',
    path: '/workshops/:id/event.ics',
    tag: 'workshops',
    auth: 'member',
    status: 200,
    summary: 'The workshop as an iCalendar file (text/calendar) to add to a calendar app',
    params: idParams,
    response: 'binary',
  }),
} as const;
