import type { EventDef } from '@agora/proto';
import { Schema } from 'mongoose';
import { buildEnvelope, type EventInput } from './envelope.js';
import type { PendingEvent } from './pending-event.js';

/** One pending event inside the document whose change it describes. */
export interface OutboxEntry {
  /** The event id (and `Nats-Msg-Id`). */
  _id: string;
  /** The event type, e.g. `identity.member.registered`. */
  def: string;
  envelope: Record<string, unknown>;
}

/**
 * Schema definition for the `outbox` array: spread into a mongoose schema as `outbox: outboxSchemaField`.
 * The relay finds documents with a non-empty outbox by `outbox._id` (index it: `schema.index({ 'outbox._id': 1 })`;
 * `Outbox.for` creates it too).
 */
export const outboxSchemaField = {
  type: [
    new Schema<OutboxEntry>(
      {
        _id: { type: String, required: true },
        def: { type: String, required: true },
        envelope: { type: Schema.Types.Mixed, required: true },
      },
      { minimize: false },
    ),
  ],
  default: [] as OutboxEntry[],
};

/** One entry for the outbox of the document whose change the event describes (validated now). */
export function outboxEntry<D extends EventDef>(def: D, input: EventInput<D>): OutboxEntry {
  const envelope = buildEnvelope(def, input);
  return { _id: envelope.id, def: def.type, envelope: { ...envelope } };
}

/** Entries for `events`, all occurring at `occurredAt` (the time of the state change). */
export function outboxEntries(events: readonly PendingEvent[], occurredAt: Date): OutboxEntry[] {
  return events.map((e) =>
    outboxEntry(e.def, { actor: e.actor, subject: e.subject, data: e.data, occurredAt }),
  );
}
