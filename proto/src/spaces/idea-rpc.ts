import { z } from 'zod';
import { countrySchema, sectorSchema } from '../identity/member.js';
import { boardAreaSchema } from '../collab/board-shape.js';
import { rpc } from '../rpc.js';
import {
  ideaDetailSchema,
  ideaIdSchema,
  ideaPageSchema,
  ideaSchema,
  ideaStatusSchema,
  ideaSupportSchema,
  lessonsSchema,
} from './idea.js';

const member = { actor: 'member' } as const;
const byId = z.strictObject({ id: ideaIdSchema });

/** The ideas library (issue 11): every pitch of every session, successes and failures alike. */
export const ideaRpc = {
  ideaList: rpc(
    'spaces',
    'idea.list',
    z.strictObject({
      country: countrySchema.optional(),
      sector: sectorSchema.optional(),
      area: boardAreaSchema.optional(),
      status: ideaStatusSchema.optional(),
      q: z.string().trim().max(200).optional(),
      offset: z.number().int().min(0).max(100_000).default(0),
      limit: z.number().int().min(1).max(100).default(20),
    }),
    ideaPageSchema,
    member,
  ),
  ideaGet: rpc('spaces', 'idea.get', byId, ideaDetailSchema, member),
  lessonsSet: rpc(
    'spaces',
    'idea.lessons.set',
    lessonsSchema.extend({ id: ideaIdSchema }),
    ideaSchema,
    member,
  ),
  statusSet: rpc(
    'spaces',
    'idea.status.set',
    z.strictObject({ id: ideaIdSchema, status: ideaStatusSchema }),
    ideaSchema,
    member,
  ),
  /** Idempotent: supporting twice (or withdrawing twice) changes nothing the second time. */
  supportSet: rpc(
    'spaces',
    'idea.support.set',
    z.strictObject({ id: ideaIdSchema, supported: z.boolean() }),
    ideaSupportSchema,
    member,
  ),
} as const;
