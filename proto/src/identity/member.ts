import { z } from 'zod';

/** The four helices of the quadruple-helix model. */
export const sectors = [
  'public-administration',
  'private-enterprise',
  'academia-research',
  'civil-society',
] as const;
export const expertiseAreas = [
  'creativity',
  'communication-marketing',
  'funding',
  'technology',
] as const;
export const roles = ['member', 'facilitator', 'admin'] as const;
/** UI languages; members may speak others (ISO 639-1 in `languages`). */
export const uiLanguages = ['en', 'es', 'pt', 'el', 'fr', 'ar'] as const;

export const sectorSchema = z.enum(sectors);
export const expertiseSchema = z.enum(expertiseAreas);
export const roleSchema = z.enum(roles);
/** A platform role (identity): `member`, `facilitator` or `admin`. */
export type Role = z.infer<typeof roleSchema>;
export const uiLanguageSchema = z.enum(uiLanguages);
/** ISO 3166-1 alpha-2, upper case. */
/** The refusal of an empty country (the web asks the member to choose one). */
export const countryMissing = 'choose a country';
export const countrySchema = z
  .string()
  .refine((s) => s !== '', countryMissing)
  .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code, e.g. "TN"');
/** ISO 639-1, lower case. */
export const languageCodeSchema = z
  .string()
  .regex(/^[a-z]{2}$/, 'ISO 639-1 language code, e.g. "ar"');
/** IANA time zone name, e.g. "Africa/Tunis". */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'unknown IANA time zone');

export const emailSchema = z.string().trim().max(254).pipe(z.email());
/** Stable texts of the display-name refusals zod cannot name itself (the web translates them). */
export const displayNameIssues = {
  forbidden: 'must not contain control, invisible or text-direction characters',
  tooFewVisible: 'use at least 2 visible characters',
} as const;
/**
 * Control characters (NUL, newlines…), zero-width spaces and joiners used alone, and the bidi
 * embeddings, overrides, isolates and marks that can make a name read as someone else's or break
 * a mail subject. ZWJ/ZWNJ stay allowed: scripts and emoji need them.
 */
const forbiddenInNames =
  /[\p{Cc}\u200B\u200E\u200F\u061C\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;
const visibleCharacter = /[\p{L}\p{N}\p{P}\p{S}]/gu;
/** A display name: NFC-normalised and trimmed, with at least two visible characters. */
export const displayNameSchema = z
  .string()
  .normalize('NFC')
  .trim()
  .max(80)
  .refine((s) => !forbiddenInNames.test(s), displayNameIssues.forbidden)
  .refine((s) => (s.match(visibleCharacter) ?? []).length >= 2, displayNameIssues.tooFewVisible);
/** NIST SP 800-63B: length is what counts; the common-password check happens in identity. */
export const passwordSchema = z.string().min(12, 'at least 12 characters').max(256);
export const memberIdSchema = z.string().regex(/^[a-f0-9]{24}$/, 'member id');

/** What the completeness rule looks at; the member sees which are missing. */
export const profileFields = [
  'displayName',
  'bio',
  'organisation',
  'sector',
  'country',
  'languages',
  'expertise',
  'avatar',
  'cover',
] as const;
export const profileFieldSchema = z.enum(profileFields);

export const completenessSchema = z.strictObject({
  /** 0..100 */
  percent: z.number().int().min(0).max(100),
  complete: z.boolean(),
  missing: z.array(profileFieldSchema),
});

/**
 * Profile fields each member chooses to show to other members or keep to themselves (and the
 * admins). Name, avatar, country and role are always shown: chat, national communities and the
 * country leaderboards already name them.
 */
export const hideableProfileFields = [
  'bio',
  'organisation',
  'sector',
  'languages',
  'expertise',
  'cover',
] as const;
export const hideableProfileFieldSchema = z.enum(hideableProfileFields);
export type HideableProfileField = z.infer<typeof hideableProfileFieldSchema>;
/**
 * Public unless the member hides them. The organisation starts private: it can tell where someone
 * works or is supported (a shelter, a refugee programme), so showing it is the member's choice.
 */
export const defaultPublicFields: readonly HideableProfileField[] = [
  'bio',
  'sector',
  'languages',
  'expertise',
  'cover',
];

/**
 * What any signed-in member may see of another: the fields the member keeps private come empty
 * (`''`, `null`, `[]`); the member themselves and admins see everything.
 */
export const publicMemberSchema = z.strictObject({
  id: memberIdSchema,
  displayName: z.string(),
  bio: z.string(),
  organisation: z.string(),
  sector: sectorSchema.nullable(),
  country: countrySchema,
  languages: z.array(languageCodeSchema),
  expertise: z.array(expertiseSchema),
  avatarUrl: z.string().nullable(),
  coverUrl: z.string().nullable(),
  role: roleSchema,
});
export type PublicMember = z.infer<typeof publicMemberSchema>;

/** What a member sees of themselves. */
export const privateMemberSchema = publicMemberSchema.extend({
  email: z.string(),
  preferredLanguage: uiLanguageSchema,
  timeZone: z.string(),
  /** The hideable fields other members see (see `hideableProfileFields`). */
  publicFields: z.array(hideableProfileFieldSchema),
  completeness: completenessSchema,
  createdAt: z.iso.datetime(),
});
export type PrivateMember = z.infer<typeof privateMemberSchema>;

export const profilePatchSchema = z
  .strictObject({
    displayName: displayNameSchema,
    bio: z.string().trim().max(2000),
    organisation: z.string().trim().max(160),
    sector: sectorSchema.nullable(),
    country: countrySchema,
    languages: z.array(languageCodeSchema).max(12),
    expertise: z.array(expertiseSchema).max(4),
    preferredLanguage: uiLanguageSchema,
    timeZone: timeZoneSchema,
    /** Which hideable fields other members see; the rest only the member and admins. */
    publicFields: z.array(hideableProfileFieldSchema).max(hideableProfileFields.length),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');
export type ProfilePatch = z.infer<typeof profilePatchSchema>;

export const imageKindSchema = z.enum(['avatar', 'cover']);
export type ImageKind = z.infer<typeof imageKindSchema>;
