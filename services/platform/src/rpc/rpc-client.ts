import { randomUUID } from 'node:crypto';
import {
  headers as natsHeaders,
  NoRespondersError,
  RequestError,
  TimeoutError,
} from '@nats-io/transport-node';
import {
  ACTOR_TOKEN_HEADER,
  errorBodySchema,
  type ErrorBody,
  type MemberRpcDef,
  type RpcDef,
  type RpcRequest,
  type RpcResponse,
} from '@agora/proto';
import { currentRequestId, REQUEST_ID_HEADER } from '../logging/request-context.js';
import { errorText, type NatsService } from '../nats/nats.service.js';
import { RpcCallError } from './rpc-call-error.js';

export interface RpcCallOptions {
  timeoutMs?: number;
}

/** A `member` RPC also takes the member's access token; the serving side verifies it. */
export interface MemberRpcCallOptions extends RpcCallOptions {
  actorToken: string;
}

/** Options are required (with the token) for a `member` RPC, optional otherwise. */
export type RpcCallArgs<D extends RpcDef> = D extends MemberRpcDef
  ? [options: MemberRpcCallOptions]
  : [options?: RpcCallOptions];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Calls `@Rpc` handlers using Nest's NATS wire format (a member's token, if any, in a header):
 * request `{ pattern, data, id }`, reply `{ id, response }` or `{ id, err }`.
 */
export class RpcClient {
  constructor(
    private readonly nats: NatsService,
    private readonly defaultTimeoutMs = 5_000,
  ) {}

  async call<D extends RpcDef>(
    def: D,
    request: RpcRequest<D>,
    ...args: RpcCallArgs<D>
  ): Promise<RpcResponse<D>> {
    const options: Partial<MemberRpcCallOptions> | undefined = args[0];
    const checked = def.request.safeParse(request);
    if (!checked.success) {
      throw new RpcCallError(def.subject, {
        code: 'VALIDATION_FAILED',
        message: 'request does not match the contract',
        details: checked.error.issues.map((i) => ({
          path: i.path.map(String),
          code: i.code,
          message: i.message,
        })),
      });
    }
    const timeout = options?.timeoutMs ?? this.defaultTimeoutMs;
    const id = randomUUID();
    const h = natsHeaders();
    const requestId = currentRequestId();
    if (requestId) h.set(REQUEST_ID_HEADER, requestId);
    if (def.actor === 'member') {
      if (!options?.actorToken) {
        throw new RpcCallError(def.subject, {
          code: 'UNAUTHENTICATED',
          message: 'made on behalf of a member: pass their access token (actorToken)',
        });
      }
      h.set(ACTOR_TOKEN_HEADER, options.actorToken);
    }

    let raw: string;
    try {
      const nc = await this.nats.ready(timeout);
      const reply = await nc.request(
        def.subject,
        encoder.encode(JSON.stringify({ pattern: def.subject, data: request, id })),
        {
          timeout,
          headers: h,
        },
      );
      raw = decoder.decode(reply.data);
    } catch (err) {
      throw new RpcCallError(def.subject, unavailable(err));
    }

    const packet = parsePacket(raw);
    if (packet.err !== undefined && packet.err !== null) {
      const body = errorBodySchema.safeParse(packet.err);
      throw new RpcCallError(
        def.subject,
        body.success
          ? body.data
          : {
              code: 'INTERNAL',
              message: typeof packet.err === 'string' ? packet.err : 'remote error',
            },
      );
    }
    const response = def.response.safeParse(packet.response);
    if (!response.success) {
      throw new RpcCallError(def.subject, {
        code: 'INTERNAL',
        message: 'reply does not match the contract',
        details: response.error.issues.map((i) => ({
          path: i.path.map(String),
          message: i.message,
        })),
      });
    }
    return response.data as RpcResponse<D>;
  }
}

function parsePacket(raw: string): { err?: unknown; response?: unknown } {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null) return value;
  } catch {
    // fall through
  }
  return { err: { code: 'INTERNAL', message: 'unreadable reply' } };
}

function unavailable(err: unknown): ErrorBody {
  if (err instanceof NoRespondersError || (err instanceof RequestError && err.isNoResponders())) {
    return { code: 'UNAVAILABLE', message: 'no service is answering' };
  }
  if (
    err instanceof TimeoutError ||
    (err instanceof RequestError && err.cause instanceof TimeoutError)
  ) {
    return { code: 'UNAVAILABLE', message: 'the service did not answer in time' };
  }
  return { code: 'UNAVAILABLE', message: `bus unavailable: ${errorText(err)}` };
}
