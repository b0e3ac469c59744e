import {
  createParamDecorator,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { MsgHdrs } from '@nats-io/transport-node';
import type { NatsContext } from '@nestjs/microservices';
import { ACTOR_TOKEN_HEADER, type Role } from '@agora/proto';
import { AccessTokens } from '../auth/access-tokens.js';
import { RpcFailure } from './rpc-failure.js';

/** The member a `member` RPC is made for, as their verified access token says. */
export interface VerifiedActor {
  readonly memberId: string;
  /** The role when the token was signed; decisions on admin rights re-read the current one. */
  readonly role: Role;
  /** The sign-in (session family) the token was issued for; null on tokens without one. */
  readonly sessionId: string | null;
}

/** Actors verified for the messages being handled, by the message's context object. */
const verified = new WeakMap<object, VerifiedActor>();

/**
 * Runs before a `member` RPC's handler (and before its payload is validated): verifies the access
 * token in `Agora-Actor-Token` with the public key. Missing or bad → UNAUTHENTICATED, expired →
 * TOKEN_EXPIRED; the handler does not run, so nothing changes.
 */
@Injectable()
export class ActorGuard implements CanActivate {
  constructor(@Inject(AccessTokens) private readonly tokens: AccessTokens) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const nats = context.switchToRpc().getContext<NatsContext>();
    const token = (nats.getHeaders() as MsgHdrs | undefined)?.get(ACTOR_TOKEN_HEADER);
    if (!token) {
      throw new RpcFailure(
        'UNAUTHENTICATED',
        `made on behalf of a member: send their access token in ${ACTOR_TOKEN_HEADER}`,
      );
    }
    const claims = await this.tokens.verify(token);
    verified.set(nats, { memberId: claims.sub, role: claims.role, sessionId: claims.sid ?? null });
    return true;
  }
}

/** The handler's second argument on a `member` RPC (set by `@Rpc`, after ActorGuard). */
export const CurrentActor = createParamDecorator(
  (_: unknown, context: ExecutionContext): VerifiedActor => {
    const actor = verified.get(context.switchToRpc().getContext<NatsContext>());
    if (!actor) throw new RpcFailure('UNAUTHENTICATED', 'no verified actor for this call');
    return actor;
  },
);
