import { randomUUID } from 'node:crypto';
import { envelopeSchema, type Envelope, type EventData, type EventDef } from '@agora/proto';

export interface EventInput<D extends EventDef> {
  /** Envelope id (also `Nats-Msg-Id`); a fresh UUID when omitted. */
  id?: string;
  actor: string | null;
  subject: string;
  data: EventData<D>;
  occurredAt?: Date | string;
}

/** An event's data or envelope broke the contract (a bug in the publishing code). */
export class InvalidEventError extends Error {
  constructor(
    readonly type: string,
    readonly issues: unknown,
    message: string,
  ) {
    super(`${type}: ${message}`);
    this.name = 'InvalidEventError';
  }
}

/** Validates `data` with the event's schema and builds a valid envelope. */
export function buildEnvelope<D extends EventDef>(
  def: D,
  input: EventInput<D>,
): Envelope<EventData<D>> {
  const data = def.data.safeParse(input.data);
  if (!data.success)
    throw new InvalidEventError(def.type, data.error.issues, 'data does not match the contract');
  const occurredAt =
    input.occurredAt instanceof Date
      ? input.occurredAt.toISOString()
      : (input.occurredAt ?? new Date().toISOString());
  const envelope = {
    id: input.id ?? randomUUID(),
    type: def.type,
    occurredAt,
    actor: input.actor,
    subject: input.subject,
    data: data.data,
    v: def.v,
  };
  const checked = envelopeSchema.safeParse(envelope);
  if (!checked.success)
    throw new InvalidEventError(def.type, checked.error.issues, 'invalid envelope');
  return envelope as Envelope<EventData<D>>;
}

/** Checks an envelope received from the bus against the envelope and its event's data schema. */
export function parseEnvelope(
  def: EventDef,
  raw: unknown,
): { ok: true; envelope: Envelope } | { ok: false; reason: string } {
  const env = envelopeSchema.safeParse(raw);
  if (!env.success)
    return { ok: false, reason: `invalid envelope: ${issuesText(env.error.issues)}` };
  if (env.data.type !== def.type)
    return { ok: false, reason: `envelope type ${env.data.type} does not match ${def.type}` };
  const data = def.data.safeParse(env.data.data);
  if (!data.success)
    return { ok: false, reason: `invalid ${def.type} data: ${issuesText(data.error.issues)}` };
  return { ok: true, envelope: { ...env.data, data: data.data } };
}

function issuesText(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
