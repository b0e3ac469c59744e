import { allEvents, envelopeSchema, identityEvents, type EventDef } from '@agora/proto';

/** What a relayed domain event asks the socket layer to do. */
export type LiveAction =
  | { kind: 'me.updated'; memberId: string; fields: string[] }
  | { kind: 'end-sessions'; memberId: string; reason: string };

const byType = new Map<string, EventDef>(allEvents.map((d) => [d.type, d]));
const e = identityEvents;

/**
 * Reads one message from `live.allEvents` (a JSON envelope) and says which members' sockets must
 * hear about it. Unknown types and invalid envelopes give nothing (the bus carries more than we relay).
 */
export function routeLiveEvent(raw: string): LiveAction[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return [];
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return [];
  const def = byType.get(envelope.data.type);
  if (!def) return [];
  const parsed = def.data.safeParse(envelope.data.data);
  if (!parsed.success) return [];
  const data = parsed.data as Record<string, unknown> & { memberId: string };

  switch (def.type) {
    case e.profileUpdated.type:
      return [{ kind: 'me.updated', memberId: data.memberId, fields: data.fields as string[] }];
    case e.avatarChanged.type:
      return [{ kind: 'me.updated', memberId: data.memberId, fields: ['avatarUrl'] }];
    case e.coverChanged.type:
      return [{ kind: 'me.updated', memberId: data.memberId, fields: ['coverUrl'] }];
    case e.roleChanged.type:
      // The open sockets hold a token with the old role: tell, then make them reconnect with a fresh one.
      return [
        { kind: 'me.updated', memberId: data.memberId, fields: ['role'] },
        { kind: 'end-sessions', memberId: data.memberId, reason: 'role changed' },
      ];
    case e.memberDeleted.type:
      return [{ kind: 'end-sessions', memberId: data.memberId, reason: 'account deleted' }];
    default:
      return [];
  }
}
