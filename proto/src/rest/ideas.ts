import { z } from 'zod';
import {
  ideaDetailSchema,
  ideaIdSchema,
  ideaListQuerySchema,
  ideaPageSchema,
  ideaSchema,
  ideaStatusSchema,
  ideaSupportSchema,
  lessonsSchema,
} from '../spaces/idea.js';
import { route } from './route.js';

const idParams = z.strictObject({ id: ideaIdSchema });

/** The ideas library (issue 11): every pitch, with its status, lessons, feedback and support. */
export const ideaRoutes = {
  ideaList: route({
    method: 'GET',
    path: '/ideas',
    tag: 'ideas',
    auth: 'member',
    status: 200,
    summary: 'Ideas, newest first, filtered by country, sector, feedback area, status, title words',
    query: ideaListQuerySchema,
    response: ideaPageSchema,
  }),
  ideaGet: route({
    method: 'GET',
    path: '/ideas/:id',
    tag: 'ideas',
    auth: 'member',
    status: 200,
    summary: 'An idea with its lessons and its accepted feedback by area',
    params: idParams,
    response: ideaDetailSchema,
  }),
  lessonsSet: route({
    method: 'PUT',
    path: '/ideas/:id/lessons',
    tag: 'ideas',
    auth: 'member',
    status: 200,
    summary: 'Write the lessons learned (its team): what worked, what failed and why',
    params: idParams,
    body: lessonsSchema,
    response: ideaSchema,
  }),
  statusSet: route({
    method: 'PUT',
    path: '/ideas/:id/status',
    tag: 'ideas',
    auth: 'member',
    status: 200,
    summary: "Change an idea's status (its team, the session's facilitators, admins)",
    params: idParams,
    body: z.strictObject({ status: ideaStatusSchema }),
    response: ideaSchema,
  }),
  supportPut: route({
    method: 'PUT',
    path: '/ideas/:id/support',
    tag: 'ideas',
    auth: 'member',
    status: 200,
    summary: 'Support an idea (once per member: again changes nothing)',
    params: idParams,
    response: ideaSupportSchema,
  }),
  supportDelete: route({
    method: 'DELETE',
    path: '/ideas/:id/support',
    tag: 'ideas',
    auth: 'member',
    status: 200,
    summary: 'Withdraw my support (again changes nothing)',
    params: idParams,
    response: ideaSupportSchema,
  }),
} as const;
