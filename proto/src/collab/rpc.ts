import { z } from 'zod';
import { docNameSchema } from '../doc-names.js';
import { memberIdSchema } from '../identity/member.js';
import { rpc } from '../rpc.js';
import {
  diffPartSchema,
  docOutlineSchema,
  sectionSeedSchema,
  versionContentSchema,
  versionIdSchema,
  versionSchema,
} from './collab-doc.js';

// Verbs never start with `doc`: `agora.collab.doc.>` is the update log's stream.
const docRef = z.strictObject({ docName: docNameSchema });
const versionRef = z.strictObject({ docName: docNameSchema, versionId: versionIdSchema });
const versionName = z.string().trim().min(1).max(120);

/**
 * Collab's request/reply API. Member calls (from the gateway's REST routes) are authorised by
 * collab asking spaces for the actor's right on the doc: `read` to list, open and diff versions,
 * `write` to save and restore. Service calls (from spaces) carry the member they act for.
 */
export const collabRpc = {
  /**
   * Writes the skeleton of a new document (a level-2 heading per section, an empty paragraph
   * after each, an empty budget) once: a doc that was ever seeded, or already holds a section
   * heading, answers `seeded: false` and is left as it is, so a retried creation never duplicates
   * the skeleton; text typed before the seed ran stays beside it.
   */
  seed: rpc(
    'collab',
    'skeleton.seed',
    z.strictObject({ docName: docNameSchema, sections: z.array(sectionSeedSchema).min(1).max(40) }),
    z.strictObject({ seeded: z.boolean() }),
  ),
  /** The document's current sections and budget, read from its durable state (snapshot + log). */
  outline: rpc('collab', 'outline.get', docRef, docOutlineSchema),
  /**
   * A board's cards (`board-shape.ts`) as its durable state holds them, each with the map key it is
   * stored under and its fields as written (spaces validates them: a browser wrote them).
   */
  boardCards: rpc(
    'collab',
    'board.cards',
    docRef,
    z.strictObject({
      docName: docNameSchema,
      cards: z.array(
        z.strictObject({ key: z.string(), fields: z.record(z.string(), z.unknown()) }),
      ),
      seq: z.number().int().min(0),
    }),
  ),
  /** Saves a named version on a service's behalf (spaces freezes one on each submission). */
  versionFreeze: rpc(
    'collab',
    'version.freeze',
    z.strictObject({
      docName: docNameSchema,
      name: versionName,
      reason: z.enum(['submitted', 'manual']),
      savedBy: memberIdSchema,
    }),
    versionSchema,
  ),

  versionList: rpc(
    'collab',
    'version.list',
    docRef,
    z.strictObject({ items: z.array(versionSchema) }),
    { actor: 'member' },
  ),
  versionSave: rpc(
    'collab',
    'version.save',
    z.strictObject({ docName: docNameSchema, name: versionName }),
    versionSchema,
    { actor: 'member' },
  ),
  versionGet: rpc('collab', 'version.get', versionRef, versionContentSchema, { actor: 'member' }),
  /** Text diff of the rich-text body from `versionId` to `to` (another version, or the live doc). */
  versionDiff: rpc(
    'collab',
    'version.diff',
    z.strictObject({
      docName: docNameSchema,
      versionId: versionIdSchema,
      to: z.union([versionIdSchema, z.literal('current')]),
    }),
    z.strictObject({
      from: versionSchema,
      to: versionSchema.nullable(),
      parts: z.array(diffPartSchema),
    }),
    { actor: 'member' },
  ),
  /**
   * Makes the live doc equal to a version again as a new change on top of history (nothing is
   * rewritten), and saves the result as a version with reason `restored`.
   */
  versionRestore: rpc('collab', 'version.restore', versionRef, versionSchema, { actor: 'member' }),
} as const;
