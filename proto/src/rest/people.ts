import { z } from 'zod';
import { route } from './route.js';
import {
  countrySchema,
  expertiseSchema,
  languageCodeSchema,
  memberIdSchema,
  sectorSchema,
} from '../identity/member.js';
import {
  installStatusSchema,
  peoplePageMax,
  peoplePageSchema,
  peopleQueryMaxLength,
  personSchema,
} from '../identity/people.js';

/** The member directory and public profiles: members only. */
export const peopleRoutes = {
  peopleSearch: route({
    method: 'GET',
    path: '/people',
    tag: 'people',
    auth: 'member',
    status: 200,
    summary:
      'The member directory: active members by name words, country, sector, expertise and language, by name',
    query: z.strictObject({
      q: z.string().trim().max(peopleQueryMaxLength).default(''),
      country: countrySchema.optional(),
      sector: sectorSchema.optional(),
      expertise: expertiseSchema.optional(),
      language: languageCodeSchema.optional(),
      offset: z.coerce.number().int().min(0).max(10_000).default(0),
      limit: z.coerce.number().int().min(1).max(peoplePageMax).default(24),
    }),
    response: peoplePageSchema,
  }),
  personGet: route({
    method: 'GET',
    path: '/people/:id',
    tag: 'people',
    auth: 'member',
    status: 200,
    summary: "A member's profile page: the fields they show (everything for themselves and admins)",
    params: z.strictObject({ id: memberIdSchema }),
    response: personSchema,
  }),
} as const;

/** What the visitors' first page asks before anyone is signed in. */
export const installRoutes = {
  installStatus: route({
    method: 'GET',
    path: '/install',
    tag: 'install',
    auth: 'public',
    status: 200,
    summary: 'Whether the next account registered becomes the administrator (a fresh install)',
    response: installStatusSchema,
  }),
} as const;
