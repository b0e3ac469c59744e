import { outboxEntry, type OutboxEntry } from '@agora/platform';
import type { PendingEvent } from './pending-event.js';

/** Outbox entries to `$push` in the same write as the state change they describe. */
export function outboxEntries(events: readonly PendingEvent[], occurredAt: Date): OutboxEntry[] {
  return events.map((e) =>
    outboxEntry(e.def, { actor: e.actor, subject: e.subject, data: e.data, occurredAt }),
  );
}
