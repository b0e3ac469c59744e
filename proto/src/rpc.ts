import type { z } from 'zod';

/** A request/reply call on `agora.<context>.<verb>`, answered by the service's queue group. */
export interface RpcDef<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly subject: string;
  readonly context: string;
  readonly request: Req;
  readonly response: Res;
}

/** What a caller sends (before the schema's defaults and trimming). */
export type RpcRequest<D> = D extends RpcDef<infer Req, z.ZodType> ? z.input<Req> : never;
/** What the handler receives: the request after validation (defaults applied, strings trimmed). */
export type RpcPayload<D> = D extends RpcDef<infer Req, z.ZodType> ? z.output<Req> : never;
export type RpcResponse<D> = D extends RpcDef<z.ZodType, infer Res> ? z.output<Res> : never;

const segment = /^[a-z][a-z0-9-]*$/;

/** Builds `agora.<context>.<verb...>`; the only way a subject for an RPC is made. */
export function rpc<Req extends z.ZodType, Res extends z.ZodType>(
  context: string,
  verb: string,
  request: Req,
  response: Res,
): RpcDef<Req, Res> {
  for (const part of [context, ...verb.split('.')]) {
    if (!segment.test(part)) throw new Error(`invalid subject segment "${part}"`);
  }
  return { subject: `agora.${context}.${verb}`, context, request, response };
}
