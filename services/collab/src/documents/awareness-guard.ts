import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** More client ids than this on one connection is not an editor (y-websocket uses one per doc). */
export const MAX_CLIENT_IDS_PER_PEER = 8;

/** The field the server writes into every awareness state: the member the state belongs to. */
export const AWARENESS_MEMBER_FIELD = 'memberId';

/**
 * Keeps from a peer's awareness update only the entries it may write, and stamps each state with
 * its member, so nobody can move, rename or remove another member's cursor: an entry is kept when
 * no state is known for its client id, or the known state is stamped with the same member (the
 * same person reconnecting, to this replica or another). A peer introduces at most
 * `MAX_CLIENT_IDS_PER_PEER` client ids. Returns null when nothing is left to apply; throws on an
 * update that cannot be read (the caller closes the peer with 4400).
 */
export function guardAwarenessUpdate(
  update: Uint8Array,
  memberId: string,
  known: ReadonlyMap<number, Record<string, unknown>>,
  ownedByPeer: ReadonlySet<number>,
): Uint8Array | null {
  const kept: Array<{ clientId: number; clock: number; state: string }> = [];
  let introduced = 0;
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state: unknown = JSON.parse(decoding.readVarString(decoder));
    const current = known.get(clientId);
    if (current && current[AWARENESS_MEMBER_FIELD] !== memberId) continue;
    if (!ownedByPeer.has(clientId)) {
      if (ownedByPeer.size + introduced >= MAX_CLIENT_IDS_PER_PEER) continue;
      introduced++;
    }
    if (state === null) {
      kept.push({ clientId, clock, state: 'null' });
      continue;
    }
    if (typeof state !== 'object' || Array.isArray(state)) continue;
    const stamped = { ...(state as Record<string, unknown>), [AWARENESS_MEMBER_FIELD]: memberId };
    kept.push({ clientId, clock, state: JSON.stringify(stamped) });
  }
  if (kept.length === 0) return null;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, kept.length);
  for (const e of kept) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, e.state);
  }
  return encoding.toUint8Array(encoder);
}
