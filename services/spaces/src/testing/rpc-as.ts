import { RpcCallError } from '@agora/platform';
import type { MemberRpcDef, RpcRequest, RpcResponse } from '@agora/proto';
import type { SpacesHarness } from './spaces-harness.js';

export interface TestMember {
  id: string;
  token: string;
}

/** Calls a member RPC of spaces as `who`. */
export function callAs<D extends MemberRpcDef>(
  h: SpacesHarness,
  who: TestMember,
  def: D,
  req: RpcRequest<D>,
): Promise<RpcResponse<D>> {
  return h.rpc.call<MemberRpcDef>(def, req, { actorToken: who.token }) as Promise<RpcResponse<D>>;
}

/** The error body a call was refused with (throws if it was not refused). */
export async function refusal(
  p: Promise<unknown>,
): Promise<{ code: string; message: string; details?: unknown }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof RpcCallError)) throw new Error(`expected a refusal, got ${String(err)}`);
  return err.body;
}

/** Types of the events about one space in AGORA_SPACES, in stream order. */
export async function streamTypes(h: SpacesHarness, subject: string): Promise<string[]> {
  const info = await h.bus.jsm.streams.info('AGORA_SPACES');
  const out: string[] = [];
  for (
    let seq = info.state.first_seq;
    seq <= info.state.last_seq && info.state.messages > 0;
    seq += 1
  ) {
    const msg = await h.bus.jsm.streams.getMessage('AGORA_SPACES', { seq }).catch(() => null);
    const env = msg?.json<{ type: string; subject: string }>();
    if (env && env.subject === subject) out.push(env.type);
  }
  return out;
}
