import type { EventData, EventDef } from '@agora/proto';

/** An event a service decided on; the repository writes it into the outbox of the same document it changes. */
export interface PendingEvent<D extends EventDef = EventDef> {
  readonly def: D;
  readonly actor: string | null;
  readonly subject: string;
  readonly data: EventData<D>;
}

/** Typed by its def: `data` must be that event's data. */
export function pendingEvent<D extends EventDef>(
  def: D,
  actor: string | null,
  subject: string,
  data: EventData<D>,
): PendingEvent {
  return { def, actor, subject, data };
}
