import { z } from 'zod';
import { docRightSchema } from '../collab/collab-doc.js';
import { sectionKeyPattern } from '../collab/doc-shape.js';
import { docNameSchema } from '../doc-names.js';
import {
  countrySchema,
  languageCodeSchema,
  memberIdSchema,
  sectorSchema,
  sectors,
  timeZoneSchema,
} from '../identity/member.js';
import { deadlineInputSchema, visibilitySchema } from './call.js';
import { spaceIdSchema, spaceRolesByKind } from './space.js';

/** How a workshop meets: online (a link), onsite (a place), or mixed (both). */
export const workshopFormats = ['online', 'onsite', 'mixed'] as const;
export const workshopFormatSchema = z.enum(workshopFormats);
export type WorkshopFormat = z.infer<typeof workshopFormatSchema>;

export const workshopRoleSchema = z.enum(spaceRolesByKind.workshop);

/** `draft` is seen by its facilitators only; `published` is open for registration. */
export const workshopStatuses = ['draft', 'published'] as const;
export const workshopStatusSchema = z.enum(workshopStatuses);

/** One step of the programme; its key is the notes' section key, its title the heading. */
export const agendaStepSchema = z.strictObject({
  key: z.string().regex(sectionKeyPattern, 'step key'),
  title: z.string().trim().min(1).max(200),
  /** Planned length, minutes (null: not planned). */
  minutes: z.number().int().min(1).max(600).nullable().default(null),
});
export type AgendaStep = z.output<typeof agendaStepSchema>;

const uniqueKeys = (items: readonly { key: string }[]) =>
  new Set(items.map((i) => i.key)).size === items.length;
export const agendaSchema = z
  .array(agendaStepSchema)
  .min(1)
  .max(40)
  .refine(uniqueKeys, 'step keys must be unique');

/**
 * The Phoenix Journey ("transformative pathways for ecosocial co-production"), the common
 * programme every national workshop starts from; local trainers rename, reorder and add steps.
 */
export const phoenixJourneyKeys = [
  'welcome',
  'ashes',
  'spark',
  'pathways',
  'first-flight',
  'commitments',
] as const;
const phoenixMinutes = [20, 40, 45, 60, 60, 25] as const;
const phoenixTitles: Record<string, readonly string[]> = {
  en: [
    'Welcome and check-in',
    'The ashes: what no longer works in our community',
    'The spark: a shared vision of change',
    'Pathways: ecosocial co-production with the four helices',
    'First flight: sketching pilot-project ideas',
    'Commitments, peer support and next steps',
  ],
  es: [
    'Bienvenida y ronda inicial',
    'Las cenizas: lo que ya no funciona en nuestra comunidad',
    'La chispa: una visión compartida del cambio',
    'Caminos: coproducción ecosocial con las cuatro hélices',
    'Primer vuelo: esbozar ideas de proyectos piloto',
    'Compromisos, apoyo entre pares y próximos pasos',
  ],
  pt: [
    'Boas-vindas e ronda inicial',
    'As cinzas: o que já não funciona na nossa comunidade',
    'A centelha: uma visão partilhada da mudança',
    'Caminhos: coprodução ecossocial com as quatro hélices',
    'Primeiro voo: esboçar ideias de projetos-piloto',
    'Compromissos, apoio entre pares e próximos passos',
  ],
  el: [
    'Καλωσόρισμα και γνωριμία',
    'Οι στάχτες: τι δεν λειτουργεί πια στην κοινότητά μας',
    'Η σπίθα: ένα κοινό όραμα αλλαγής',
    'Διαδρομές: οικοκοινωνική συμπαραγωγή με τις τέσσερις έλικες',
    'Πρώτη πτήση: σκιαγραφώντας ιδέες πιλοτικών έργων',
    'Δεσμεύσεις, αλληλοϋποστήριξη και επόμενα βήματα',
  ],
  fr: [
    'Accueil et tour de table',
    'Les cendres : ce qui ne fonctionne plus dans notre communauté',
    "L'étincelle : une vision partagée du changement",
    'Chemins : la coproduction écosociale avec les quatre hélices',
    'Premier envol : esquisser des idées de projets pilotes',
    'Engagements, soutien entre pairs et prochaines étapes',
  ],
  ar: [
    'الترحيب والتعارف',
    'الرماد: ما لم يعد يعمل في مجتمعنا',
    'الشرارة: رؤية مشتركة للتغيير',
    'المسارات: الإنتاج المشترك الإيكولوجي الاجتماعي مع الحلزونات الأربع',
    'التحليق الأول: رسم أفكار المشاريع التجريبية',
    'الالتزامات والدعم بين الأقران والخطوات التالية',
  ],
};

/** The default agenda in the workshop's language (English for a language without a translation). */
export function phoenixJourneyAgenda(language: string): AgendaStep[] {
  const titles = phoenixTitles[language] ?? phoenixTitles.en ?? [];
  return phoenixJourneyKeys.map((key, i) => ({
    key,
    title: titles[i] ?? key,
    minutes: phoenixMinutes[i] ?? null,
  }));
}

/** Decisions taken, proposals the group will start, follow-ups with their owners. */
export const outcomesSchema = z.strictObject({
  decisions: z.array(z.string().trim().min(1).max(2_000)).max(100),
  proposals: z
    .array(
      z.strictObject({
        title: z.string().trim().min(1).max(200),
        note: z.string().trim().max(2_000).default(''),
      }),
    )
    .max(50),
  followUps: z
    .array(
      z.strictObject({
        task: z.string().trim().min(1).max(1_000),
        /** A member who owns it, or a name for someone without an account (one of the two). */
        ownerId: memberIdSchema.nullable().default(null),
        ownerName: z.string().trim().max(120).default(''),
        /** A calendar day, `YYYY-MM-DD`. */
        due: z.iso.date().nullable().default(null),
        done: z.boolean().default(false),
      }),
    )
    .max(100),
});
export type Outcomes = z.output<typeof outcomesSchema>;
export const emptyOutcomes: Outcomes = { decisions: [], proposals: [], followUps: [] };

const workshopFields = {
  title: z.string().trim().min(3).max(200),
  description: z.string().trim().max(20_000),
  country: countrySchema,
  /** ISO 639-1: the language the workshop is held in (e.g. "ar" in Jordan, "fr" or "ar" in Tunisia). */
  language: languageCodeSchema,
  format: workshopFormatSchema,
  /** An ISO 8601 instant, or a wall-clock time without offset read in `timeZone`. */
  startsAt: deadlineInputSchema,
  endsAt: deadlineInputSchema,
  /** The place's IANA zone: times are set and shown in it (and in each member's own). */
  timeZone: timeZoneSchema,
  capacity: z.number().int().min(1).max(1_000),
  /** Address of an onsite or mixed workshop. */
  place: z.string().trim().max(500),
  /** Meeting link of an online or mixed workshop (shown to facilitators and registered participants). */
  link: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(2_000)]),
  /** Registration closes then (default: when it starts); same formats as `startsAt`. */
  registrationClosesAt: deadlineInputSchema.nullable(),
  agenda: agendaSchema,
  /** Co-facilitators besides the creator (members by id). */
  facilitatorIds: z.array(memberIdSchema).max(20),
};

export const workshopCreateSchema = z.strictObject({
  title: workshopFields.title,
  description: workshopFields.description.default(''),
  country: workshopFields.country,
  language: workshopFields.language,
  format: workshopFields.format,
  startsAt: workshopFields.startsAt,
  endsAt: workshopFields.endsAt,
  timeZone: workshopFields.timeZone,
  capacity: workshopFields.capacity,
  place: workshopFields.place.default(''),
  link: workshopFields.link.default(''),
  registrationClosesAt: workshopFields.registrationClosesAt.default(null),
  /** Default: The Phoenix Journey in the workshop's language. */
  agenda: workshopFields.agenda.optional(),
  facilitatorIds: workshopFields.facilitatorIds.default([]),
  /** The community it belongs to; default: the national community of `country`. */
  communityId: spaceIdSchema.optional(),
  /** true: kept as a draft (facilitators only); default false: published at once. */
  draft: z.boolean().default(false),
});
export type WorkshopCreate = z.output<typeof workshopCreateSchema>;

/** Any field; `draft: false` publishes a draft (a published workshop cannot go back to draft). */
export const workshopPatchSchema = z
  .strictObject({
    title: workshopFields.title,
    description: workshopFields.description,
    language: workshopFields.language,
    format: workshopFields.format,
    startsAt: workshopFields.startsAt,
    endsAt: workshopFields.endsAt,
    timeZone: workshopFields.timeZone,
    capacity: workshopFields.capacity,
    place: workshopFields.place,
    link: workshopFields.link,
    registrationClosesAt: workshopFields.registrationClosesAt,
    agenda: workshopFields.agenda,
    facilitatorIds: workshopFields.facilitatorIds,
    outcomes: outcomesSchema,
    draft: z.boolean(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');
export type WorkshopPatch = z.output<typeof workshopPatchSchema>;

/** The caller's registration: `position` is the 1-based place on the waiting list. */
export const registrationStatusSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('registered') }),
  z.strictObject({ status: z.literal('waitlisted'), position: z.number().int().min(1) }),
]);
export type RegistrationStatus = z.infer<typeof registrationStatusSchema>;
/** `GET …/registrations/me`: the same, or `none` when not registered nor waiting. */
export const myRegistrationSchema = z.discriminatedUnion('status', [
  ...registrationStatusSchema.options,
  z.strictObject({ status: z.literal('none') }),
]);
export type MyRegistration = z.infer<typeof myRegistrationSchema>;

/** Who holds a place and who waits, in order (facilitators only). */
export const rosterSchema = z.strictObject({
  facilitators: z.array(memberIdSchema),
  registered: z.array(memberIdSchema),
  waitlist: z.array(memberIdSchema),
});

export const attendanceCountsSchema = z.strictObject({
  total: z.number().int(),
  members: z.number().int(),
  /** People present without an account. */
  guests: z.number().int(),
  /** Per sector of the four helices, plus `unknown` for those who gave none. */
  bySector: z.strictObject(
    Object.fromEntries([...sectors, 'unknown'].map((s) => [s, z.number().int()])) as Record<
      (typeof sectors)[number] | 'unknown',
      z.ZodNumber
    >,
  ),
});
export type AttendanceCounts = z.infer<typeof attendanceCountsSchema>;

export const workshopSchema = z.strictObject({
  id: spaceIdSchema,
  kind: z.literal('workshop'),
  title: z.string(),
  description: z.string(),
  status: workshopStatusSchema,
  visibility: visibilitySchema,
  country: z.string(),
  language: z.string(),
  format: workshopFormatSchema,
  /** ISO 8601 UTC instants; shown in `timeZone` and the member's own zone. */
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  timeZone: z.string(),
  registrationClosesAt: z.iso.datetime(),
  /** Whether a member may register now (published, before the closing time). */
  registrationOpen: z.boolean(),
  capacity: z.number().int(),
  registeredCount: z.number().int(),
  waitlistCount: z.number().int(),
  place: z.string(),
  /** Empty unless the caller facilitates or holds a place. */
  link: z.string(),
  agenda: z.array(agendaStepSchema),
  outcomes: outcomesSchema,
  /** `notes:<id>`: the co-edited notes, seeded with the agenda on publication. */
  docName: docNameSchema,
  communityId: spaceIdSchema,
  facilitators: z.array(memberIdSchema),
  /** Counts only (never who): null until a facilitator records attendance. */
  attendance: attendanceCountsSchema.nullable(),
  createdBy: memberIdSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  publishedAt: z.iso.datetime().nullable(),
  myRole: workshopRoleSchema.nullable(),
  myRegistration: myRegistrationSchema,
  /** The caller's right on the notes (as `doc.access` answers it). */
  myRight: docRightSchema,
  /** Whether the caller may edit it, see the roster and mark attendance. */
  canManage: z.boolean(),
});
export type WorkshopView = z.infer<typeof workshopSchema>;

export const workshopListQuerySchema = z.strictObject({
  country: countrySchema.optional(),
  language: languageCodeSchema.optional(),
  format: workshopFormatSchema.optional(),
  /** true: only those not ended yet, soonest first; false/absent: every one, newest start first. */
  upcoming: z.stringbool().optional(),
  communityId: spaceIdSchema.optional(),
  /** Only those the caller facilitates, is registered or waitlisted for (drafts included). */
  mine: z.stringbool().optional(),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const workshopPageSchema = z.strictObject({
  total: z.number().int(),
  items: z.array(workshopSchema),
});

/** Someone present: a member by id, or a person without an account by name. */
export const attendeeCreateSchema = z.union([
  z.strictObject({
    memberId: memberIdSchema,
    /** The member's sector for the counts (the page pre-fills it from their profile). */
    sector: sectorSchema.nullable().default(null),
  }),
  z.strictObject({
    name: z.string().trim().min(1).max(120),
    organisation: z.string().trim().max(160).default(''),
    sector: sectorSchema.nullable().default(null),
  }),
]);

export const attendeeSchema = z.strictObject({
  id: z.string(),
  /** null: a person without an account. */
  memberId: memberIdSchema.nullable(),
  /** Empty for a member (shown from their profile). */
  name: z.string(),
  organisation: z.string(),
  sector: sectorSchema.nullable(),
  recordedBy: memberIdSchema,
  recordedAt: z.iso.datetime(),
});
export type AttendeeView = z.infer<typeof attendeeSchema>;

export const attendanceSchema = z.strictObject({
  items: z.array(attendeeSchema),
  counts: attendanceCountsSchema,
});
