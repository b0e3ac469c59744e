import { z } from 'zod';

/** Every domain event on the bus travels in this envelope (DESIGN.md, "The bus"). */
export const envelopeSchema = z.strictObject({
  /** UUID; also the JetStream `Nats-Msg-Id`, so a re-publish is deduplicated. */
  id: z.uuid(),
  /** `<context>.<entity>.<past-verb>`, e.g. `identity.member.registered`. */
  type: z.string().regex(/^[a-z]+\.[a-z-]+\.[a-z-]+$/),
  occurredAt: z.iso.datetime(),
  /** Member who caused the event; null for the system. */
  actor: z.string().min(1).nullable(),
  /** Id of the entity the event is about. */
  subject: z.string().min(1),
  data: z.unknown(),
  /** Schema version of `data`. */
  v: z.number().int().positive(),
});

export type Envelope<D = unknown> = Omit<z.infer<typeof envelopeSchema>, 'data'> & { data: D };
