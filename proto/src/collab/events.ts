import { z } from 'zod';
import { docNameSchema } from '../doc-names.js';
import { event } from '../events.js';
import { memberIdSchema } from '../identity/member.js';
import { versionIdSchema, versionReasons } from './collab-doc.js';

/** Collab's domain events, in stream `AGORA_COLLAB` (the update log is `AGORA_COLLAB_DOCS`). */
export const collabEvents = {
  /**
   * A document changed: debounced (at most one per doc per quiet period, and at least one per
   * longer maximum wait while edits go on), never one per keystroke. For notifications, search
   * and points.
   */
  docChanged: event(
    'collab',
    'doc',
    'changed',
    z.strictObject({
      docName: docNameSchema,
      /** Members whose updates this period covers, each once. */
      memberIds: z.array(memberIdSchema).min(1),
      /** Updates accepted in the period. */
      updates: z.number().int().min(1),
      /** Update-log sequences the period covers. */
      fromSeq: z.number().int().min(1),
      toSeq: z.number().int().min(1),
    }),
  ),
  versionSaved: event(
    'collab',
    'version',
    'saved',
    z.strictObject({
      docName: docNameSchema,
      versionId: versionIdSchema,
      reason: z.enum(versionReasons),
      savedBy: memberIdSchema.nullable(),
    }),
  ),
} as const;
