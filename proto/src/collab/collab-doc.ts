import { z } from 'zod';
import { docNameSchema } from '../doc-names.js';
import { memberIdSchema } from '../identity/member.js';
import { sectionKeyPattern } from './doc-shape.js';

/**
 * A member's right on a co-edited document, as spaces answers it. `comment`: reads the doc and
 * writes only inside its `comments` and `suggestions` root maps (collab drops any other update).
 */
export const docRights = ['write', 'comment', 'read', 'none'] as const;
export const docRightSchema = z.enum(docRights);
export type DocRight = z.infer<typeof docRightSchema>;

/** Binary payloads (Yjs updates, state vectors) travel as standard base64 in JSON. */
export const base64Schema = z.base64();

export const versionIdSchema = z.string().regex(/^[a-f0-9]{24}$/, 'version id');

/** Why a version was saved. */
export const versionReasons = ['manual', 'submitted', 'restored', 'seeded'] as const;

export const versionSchema = z.strictObject({
  id: versionIdSchema,
  docName: docNameSchema,
  name: z.string().min(1).max(120),
  reason: z.enum(versionReasons),
  /** Who saved it; null when a service did on its own (a submission is still the submitter's). */
  savedBy: memberIdSchema.nullable(),
  savedAt: z.iso.datetime(),
  /** Update-log sequence the version covers (everything up to and including it). */
  seq: z.number().int().min(0),
  /** Bytes of its Yjs state. */
  size: z.number().int().min(0),
});
export type DocVersion = z.infer<typeof versionSchema>;

export const sectionSeedSchema = z.strictObject({
  key: z.string().regex(sectionKeyPattern, 'section key'),
  /** The heading text shown (in the call's language). */
  heading: z.string().min(1).max(200),
});

/** One line of the budget table, as stored in the document (total = quantity × unitCost, computed). */
export const budgetLineSchema = z.strictObject({
  category: z.string(),
  description: z.string(),
  quantity: z.number(),
  /** Integer minor units (cents). */
  unitCost: z.number().int(),
});
export type BudgetLine = z.infer<typeof budgetLineSchema>;

/** What a document holds, read by collab from its current state (for rules that must not trust a browser). */
export const docOutlineSchema = z.strictObject({
  docName: docNameSchema,
  sections: z.array(
    z.strictObject({
      key: z.string(),
      heading: z.string(),
      /** Visible text of the section, headings excluded. */
      text: z.string(),
    }),
  ),
  /** Lines whose fields are missing or of the wrong type are listed with `valid: false`. */
  budget: z.array(
    z.strictObject({
      category: z.string(),
      description: z.string(),
      quantity: z.number(),
      unitCost: z.number(),
      valid: z.boolean(),
    }),
  ),
  /** Bytes of the whole Yjs state. */
  size: z.number().int().min(0),
  /** Update-log sequence this outline reflects. */
  seq: z.number().int().min(0),
});
export type DocOutline = z.infer<typeof docOutlineSchema>;

/** One run of a text diff between two versions. */
export const diffPartSchema = z.strictObject({
  op: z.enum(['equal', 'insert', 'delete']),
  text: z.string(),
});

export const versionContentSchema = z.strictObject({
  version: versionSchema,
  /** The whole document at that version as one Yjs update (base64). */
  update: base64Schema,
  /** Plain text of the rich-text body. */
  text: z.string(),
  /** The rich-text body as Markdown. */
  markdown: z.string(),
});
