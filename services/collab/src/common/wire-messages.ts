import * as encoding from 'lib0/encoding';
import { collabMessageTypes } from '@agora/proto';

// Server → client frames of the y-websocket protocol, each encoded once and sent as the same
// buffer to every connection that gets it.

const syncStep1 = 0;
const syncStep2 = 1;
const syncUpdate = 2;

/** `[sync, <step>, <payload>]`. */
function syncMessage(step: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, collabMessageTypes.sync);
  encoding.writeVarUint(e, step);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/** `[sync, update, <update>]`: an update every listener of the doc applies. */
export function updateMessage(update: Uint8Array): Uint8Array {
  return syncMessage(syncUpdate, update);
}

/** `[sync, step1, <state vector>]`: what the server has, so the client sends what it lacks. */
export function syncStep1Message(stateVector: Uint8Array): Uint8Array {
  return syncMessage(syncStep1, stateVector);
}

/** `[sync, step2, <update>]`: the answer to a client's step 1. */
export function syncStep2Message(update: Uint8Array): Uint8Array {
  return syncMessage(syncStep2, update);
}

/** `[awareness, <awareness update>]`. */
export function awarenessMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, collabMessageTypes.awareness);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** `[100]`: this connection reads only (a stock client ignores the type). */
export const readOnlyMessage: Uint8Array = Uint8Array.of(collabMessageTypes.readOnly);

/** `[102]`: this connection's updates count only inside the comments and suggestions maps. */
export const commentOnlyMessage: Uint8Array = Uint8Array.of(collabMessageTypes.commentOnly);

/** `[103]`: this connection, read-only or comment-only before, may write again. */
export const writableMessage: Uint8Array = Uint8Array.of(collabMessageTypes.writable);

/** `[101, <count>]`: edits of this connection durable so far. */
export function savedUpToMessage(count: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, collabMessageTypes.savedUpTo);
  encoding.writeVarUint(e, count);
  return encoding.toUint8Array(e);
}
