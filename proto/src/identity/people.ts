import { z } from 'zod';
import { rpc } from '../rpc.js';
import {
  countrySchema,
  expertiseSchema,
  hideableProfileFieldSchema,
  languageCodeSchema,
  memberIdSchema,
  roleSchema,
  sectorSchema,
} from './member.js';

/**
 * A member as the directory and their profile page show them to the reader: what the member keeps
 * private is `null` (the member themselves and admins get every field). `publicFields` says which
 * hideable fields other members see, so the member's own page can say so.
 */
export const personSchema = z.strictObject({
  id: memberIdSchema,
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
  country: countrySchema,
  role: roleSchema,
  bio: z.string().nullable(),
  organisation: z.string().nullable(),
  sector: sectorSchema.nullable(),
  languages: z.array(languageCodeSchema).nullable(),
  expertise: z.array(expertiseSchema).nullable(),
  coverUrl: z.string().nullable(),
  publicFields: z.array(hideableProfileFieldSchema),
  /** When the member joined (ISO 8601). */
  memberSince: z.iso.datetime(),
});
export type Person = z.infer<typeof personSchema>;

/** Longest name query: a few words of a display name (names are at most 80 characters). */
export const peopleQueryMaxLength = 80;
export const peoplePageMax = 50;

/** Directory filters; each one narrows the list (all must hold). */
export const peopleFilterSchema = z.strictObject({
  /** Words that start the member's name words, in any order ("lei had" finds "Leila Haddad"). */
  q: z.string().trim().max(peopleQueryMaxLength).default(''),
  country: countrySchema.optional(),
  sector: sectorSchema.optional(),
  expertise: expertiseSchema.optional(),
  /** A language the member speaks (ISO 639-1), among those they show. */
  language: languageCodeSchema.optional(),
});
export type PeopleFilter = z.output<typeof peopleFilterSchema>;

export const peoplePageSchema = z.strictObject({
  total: z.number().int().min(0),
  items: z.array(personSchema),
});
export type PeoplePage = z.infer<typeof peoplePageSchema>;

const member = { actor: 'member' } as const;

/**
 * The member directory (identity). Only active members are listed and found; a filter on a field
 * matches only members who show that field, so filtering never reveals a hidden value.
 */
export const peopleRpc = {
  peopleSearch: rpc(
    'identity',
    'people.search',
    z.strictObject({
      filter: peopleFilterSchema,
      page: z.strictObject({
        offset: z.number().int().min(0).max(10_000).default(0),
        limit: z.number().int().min(1).max(peoplePageMax).default(24),
      }),
    }),
    peoplePageSchema,
    member,
  ),
  /** One member's profile page, as the reader may see it (suspended and deleted: `NOT_FOUND`). */
  personGet: rpc(
    'identity',
    'people.get',
    z.strictObject({ memberId: memberIdSchema }),
    personSchema,
    member,
  ),
} as const;

/** What the visitors' first page says about this install. */
export const installStatusSchema = z.strictObject({
  /**
   * No administrator yet and no ADMIN_EMAIL configured: the next account registered becomes the
   * administrator (the page says so, for whoever is setting the install up).
   */
  firstAccountBecomesAdmin: z.boolean(),
});
export type InstallStatus = z.infer<typeof installStatusSchema>;

/** Public facts about the install (identity). */
export const installRpc = {
  installStatus: rpc('identity', 'install.status', z.strictObject({}), installStatusSchema),
} as const;
