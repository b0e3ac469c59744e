import type { z } from 'zod';

/**
 * On whose behalf a call is made. `member`: the caller sends that member's access token in
 * `ACTOR_TOKEN_HEADER`, the serving side verifies it and takes the actor from it (never from the
 * payload). `none`: public calls (sign-in, lookups) and questions between services.
 */
export type RpcActor = 'member' | 'none';

/** NATS header carrying the access token of the member a `member` RPC is made for. */
export const ACTOR_TOKEN_HEADER = 'Agora-Actor-Token';

/** A request/reply call on `agora.<context>.<verb>`, answered by the service's queue group. */
export interface RpcDef<
  Req extends z.ZodType = z.ZodType,
  Res extends z.ZodType = z.ZodType,
  A extends RpcActor = RpcActor,
> {
  readonly subject: string;
  readonly context: string;
  readonly request: Req;
  readonly response: Res;
  readonly actor: A;
}

/** A call made on behalf of a member (its handler receives the verified actor). */
export type MemberRpcDef = RpcDef<z.ZodType, z.ZodType, 'member'>;

/** What a caller sends (before the schema's defaults and trimming). */
export type RpcRequest<D> = D extends RpcDef<infer Req, z.ZodType> ? z.input<Req> : never;
/** What the handler receives: the request after validation (defaults applied, strings trimmed). */
export type RpcPayload<D> = D extends RpcDef<infer Req, z.ZodType> ? z.output<Req> : never;
export type RpcResponse<D> = D extends RpcDef<z.ZodType, infer Res> ? z.output<Res> : never;

const segment = /^[a-z][a-z0-9-]*$/;

/**
 * Builds `agora.<context>.<verb...>`; the only way a subject for an RPC is made. `{ actor: 'member' }`
 * for a call made on behalf of a member (no member id in the request: it comes from the token).
 */
export function rpc<Req extends z.ZodType, Res extends z.ZodType, A extends RpcActor = 'none'>(
  context: string,
  verb: string,
  request: Req,
  response: Res,
  options?: { actor: A },
): RpcDef<Req, Res, A> {
  for (const part of [context, ...verb.split('.')]) {
    if (!segment.test(part)) throw new Error(`invalid subject segment "${part}"`);
  }
  // `agora.<context>.evt.>` is the context's event stream (and the gateway's live feed): a request
  // there would be stored and relayed, its payload (a password, say) with it.
  if (verb === 'evt' || verb.startsWith('evt.'))
    throw new Error(`an RPC verb may not start with "evt" (agora.${context}.evt.> holds events)`);
  const actor = (options?.actor ?? 'none') as A;
  return { subject: `agora.${context}.${verb}`, context, request, response, actor };
}
