import { UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { MemberRpcDef, RpcDef, RpcPayload, RpcResponse } from '@agora/proto';
import { ActorGuard, CurrentActor, type VerifiedActor } from './actor.guard.js';
import { RpcContextInterceptor } from './rpc-context.interceptor.js';
import { RpcErrorFilter } from './rpc-error.filter.js';
import { ZodPayloadPipe } from './zod-payload.pipe.js';

type Answer<D extends RpcDef> = Promise<RpcResponse<D>> | RpcResponse<D>;

/**
 * A handler of `D`: takes the validated request (and, for a `member` RPC, the verified actor), answers
 * what the def says it answers.
 */
export type RpcHandler<D extends RpcDef> = D extends MemberRpcDef
  ? (req: RpcPayload<D>, actor: VerifiedActor) => Answer<D>
  : (req: RpcPayload<D>) => Answer<D>;

/** Pattern extra that marks a handler bound through `@Rpc` (NatsRpcStrategy refuses any other). */
export const RPC_BINDING = 'agoraRpc';

/**
 * Binds a handler to its proto RpcDef in one mention: the subject (queue group = service); for a
 * `member` RPC the access token in `Agora-Actor-Token` verified first and the actor handed over as
 * the second argument; the payload validated against `def.request` (`VALIDATION_FAILED` with the zod
 * issues, the handler not called); RpcFailure bodies sent as they are and anything else as a generic
 * `INTERNAL`; the caller's request id restored and the call counted for graceful shutdown. The
 * handler's parameter and return types must match the def, or it does not compile.
 */
export function Rpc<D extends RpcDef>(def: D) {
  return <F extends RpcHandler<D>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<F>,
  ): TypedPropertyDescriptor<F> => {
    MessagePattern(def.subject, { [RPC_BINDING]: def.subject })(target, key, descriptor);
    Payload(new ZodPayloadPipe(def.request))(target, key, 0);
    if (def.actor === 'member') {
      UseGuards(ActorGuard)(target, key, descriptor);
      CurrentActor()(target, key, 1);
    }
    UseFilters(RpcErrorFilter)(target, key, descriptor);
    UseInterceptors(RpcContextInterceptor)(target, key, descriptor);
    return descriptor;
  };
}
