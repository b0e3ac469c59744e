import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import {
  ACTOR_TOKEN_HEADER,
  identityRpc,
  type ErrorBody,
  type RpcPayload,
  type RpcResponse,
} from '@agora/proto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccessTokenSigner } from '../auth/access-token-signer.js';
import { bootstrapService, type RunningService } from '../bootstrap/bootstrap-service.js';
import { createLogger } from '../logging/create-logger.js';
import { PlatformModule } from '../platform.module.js';
import { testAccessKeys } from '../testing/access-keys.js';
import { startNatsServer, type NatsServerHandle } from '../testing/nats-server.js';
import { platformTestConfig } from '../testing/test-config.js';
import type { VerifiedActor } from './actor.guard.js';
import { RpcCallError } from './rpc-call-error.js';
import { RpcClient } from './rpc-client.js';
import { Rpc } from './rpc.decorator.js';

const keys = testAccessKeys();
const admin = 'a'.repeat(24);
const target = 'b'.repeat(24);
const calls: { subject: string; actor?: VerifiedActor; req: unknown }[] = [];

@Controller()
class RoleHandler {
  @Rpc(identityRpc.roleSet)
  roleSet(
    req: RpcPayload<typeof identityRpc.roleSet>,
    actor: VerifiedActor,
  ): RpcResponse<typeof identityRpc.roleSet> {
    calls.push({ subject: identityRpc.roleSet.subject, actor, req });
    return {
      id: req.memberId,
      displayName: 'Karim',
      bio: '',
      organisation: '',
      sector: null,
      country: 'TN',
      languages: [],
      expertise: [],
      avatarUrl: null,
      coverUrl: null,
      role: req.role,
    };
  }

  @Rpc(identityRpc.logout)
  logout(req: RpcPayload<typeof identityRpc.logout>): RpcResponse<typeof identityRpc.logout> {
    calls.push({ subject: identityRpc.logout.subject, req });
    return { ok: true };
  }
}

// Checked by `npm run check` (tsc over spec files): each @ts-expect-error line must NOT compile.
export class Mismatched {
  // @ts-expect-error the actor of a member RPC is a VerifiedActor, not a member id in a string
  @Rpc(identityRpc.meGet) a(_req: RpcPayload<typeof identityRpc.meGet>, actorId: string) {
    return Promise.reject(new Error(actorId));
  }
}
export function callsWithoutToken(client: RpcClient) {
  // @ts-expect-error a member RPC cannot be called without the member's token
  return client.call(identityRpc.meGet, {});
}

describe('member RPCs: the actor comes from a verified token (real nats-server)', () => {
  let nats: NatsServerHandle;
  let service: RunningService;
  let client: RpcClient;
  let raw: NatsConnection;
  const signer = new AccessTokenSigner(keys.signingKey);

  beforeAll(async () => {
    nats = await startNatsServer();
    const config = platformTestConfig({ NATS_URL: nats.url, AUTH_PUBLIC_KEY: keys.publicKey });
    const logger = createLogger('actor-test', 'silent');
    @Module({
      imports: [PlatformModule.forRoot({ service: 'actor-test', config, mongo: false, logger })],
      controllers: [RoleHandler],
    })
    class AppModule {}
    service = await bootstrapService({
      service: 'actor-test',
      module: AppModule,
      config,
      logger,
      handleSignals: false,
    });
    await service.rpcReady;
    client = service.app.get(RpcClient);
    raw = await connect({ servers: nats.url });
  });

  beforeEach(() => {
    calls.length = 0;
  });

  afterAll(async () => {
    await raw?.close();
    await service?.shutdown();
    await nats?.stop();
  });

  /** A hand-made request, as any process on the bus could send it. */
  const rawCall = async (data: unknown, token?: string): Promise<ErrorBody | undefined> => {
    const h = headers();
    if (token !== undefined) h.set(ACTOR_TOKEN_HEADER, token);
    const subject = identityRpc.roleSet.subject;
    const msg = await raw.request(subject, JSON.stringify({ pattern: subject, id: 'r', data }), {
      timeout: 5_000,
      headers: h,
    });
    return msg.json<{ err?: ErrorBody }>().err;
  };

  it('hands the handler the actor the token names, whatever else the payload says', async () => {
    const { token } = await signer.sign({ sub: admin, role: 'admin' });
    const reply = await client.call(
      identityRpc.roleSet,
      { memberId: target, role: 'facilitator' },
      { actorToken: token },
    );
    expect(reply).toMatchObject({ id: target, role: 'facilitator' });
    expect(calls).toEqual([
      {
        subject: identityRpc.roleSet.subject,
        actor: { memberId: admin, role: 'admin', sessionId: null },
        req: { memberId: target, role: 'facilitator' },
      },
    ]);
  });

  it('refuses a forged request without a token: UNAUTHENTICATED, the handler never runs', async () => {
    expect(await rawCall({ memberId: target, role: 'admin' })).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: `made on behalf of a member: send their access token in ${ACTOR_TOKEN_HEADER}`,
    });
    // The old way of naming the actor is no way at all: refused before the payload is even read.
    expect(await rawCall({ actorId: admin, memberId: target, role: 'admin' })).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(calls).toEqual([]);
  });

  it('refuses a token signed with another key, garbage, and an expired token', async () => {
    const foreign = await new AccessTokenSigner(testAccessKeys().signingKey).sign({
      sub: admin,
      role: 'admin',
    });
    expect(await rawCall({ memberId: target, role: 'admin' }, foreign.token)).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'access token invalid',
    });
    expect(await rawCall({ memberId: target, role: 'admin' }, 'not.a.token')).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const old = await signer.sign(
      { sub: admin, role: 'admin' },
      new Date(Date.now() - 20 * 60_000),
    );
    expect(await rawCall({ memberId: target, role: 'admin' }, old.token)).toMatchObject({
      code: 'TOKEN_EXPIRED',
    });
    expect(calls).toEqual([]);
  });

  it('with a valid token, still validates the payload (an actorId field is refused)', async () => {
    const { token } = await signer.sign({ sub: admin, role: 'admin' });
    const err = await rawCall({ actorId: target, memberId: target, role: 'admin' }, token);
    expect(err?.code).toBe('VALIDATION_FAILED');
    expect(calls).toEqual([]);
  });

  it('the client will not send a member RPC without a token; public RPCs need none', async () => {
    const err = await (callsWithoutToken(client) as Promise<unknown>).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcCallError);
    expect((err as RpcCallError).code).toBe('UNAUTHENTICATED');
    await expect(client.call(identityRpc.logout, { refreshToken: 'r' })).resolves.toEqual({
      ok: true,
    });
    expect(calls.map((c) => c.subject)).toEqual([identityRpc.logout.subject]);
  });
});
