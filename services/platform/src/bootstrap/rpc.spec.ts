import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { ACTOR_TOKEN_HEADER, identityRpc, type RpcPayload, type RpcResponse } from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/create-logger.js';
import {
  currentRequestId,
  REQUEST_ID_HEADER,
  runWithRequestId,
} from '../logging/request-context.js';
import { NatsService } from '../nats/nats.service.js';
import { PlatformModule } from '../platform.module.js';
import { RpcCallError } from '../rpc/rpc-call-error.js';
import { RpcClient } from '../rpc/rpc-client.js';
import { RpcFailure } from '../rpc/rpc-failure.js';
import type { VerifiedActor } from '../rpc/actor.guard.js';
import { Rpc } from '../rpc/rpc.decorator.js';
import { AccessTokenSigner } from '../auth/access-token-signer.js';
import { testAccessKeys } from '../testing/access-keys.js';
import { startNatsServer, type NatsServerHandle } from '../testing/nats-server.js';
import { platformTestConfig } from '../testing/test-config.js';
import { bootstrapService, type RunningService } from './bootstrap-service.js';
import { isInboxReply } from './nats-rpc.strategy.js';

const memberId = 'a'.repeat(24);
const keys = testAccessKeys();
const seen: { requestId: string | undefined; actor: VerifiedActor }[] = [];

@Controller()
class MemberHandler {
  @Rpc(identityRpc.memberGet)
  get(
    req: RpcPayload<typeof identityRpc.memberGet>,
    actor: VerifiedActor,
  ): RpcResponse<typeof identityRpc.memberGet> {
    seen.push({ requestId: currentRequestId(), actor });
    if (req.memberId === 'b'.repeat(24))
      throw new RpcFailure('NOT_FOUND', 'no such member', { memberId: req.memberId });
    if (req.memberId === 'c'.repeat(24)) throw new Error('database exploded at /secret/path');
    // A buggy handler the types would not let through: the caller's check still catches it.
    if (req.memberId === 'd'.repeat(24))
      return { id: 'not-a-member' } as unknown as RpcResponse<typeof identityRpc.memberGet>;
    return {
      id: req.memberId,
      displayName: 'Amal',
      bio: '',
      organisation: '',
      sector: null,
      country: 'TN',
      languages: ['ar'],
      expertise: [],
      avatarUrl: null,
      coverUrl: null,
      role: 'member',
    };
  }
}

describe('isInboxReply', () => {
  it('takes a default or a per-service inbox, nothing that only starts alike', () => {
    expect(isInboxReply('_INBOX.abc.1')).toBe(true);
    expect(isInboxReply('_INBOX_gateway.abc.1')).toBe(true);
    expect(isInboxReply('_INBOX_identity_auth-test-client.abc.1')).toBe(true);
    for (const reply of [undefined, '', '_INBOX', '_INBOX.', '_INBOXfoo.x', '_INBOX_.x', 'agora.x'])
      expect(isInboxReply(reply), String(reply)).toBe(false);
  });
});

describe('RPC over NATS (Nest wire format)', () => {
  let nats: NatsServerHandle;
  let service: RunningService;
  let client: RpcClient;
  let raw: NatsConnection;
  let actorToken: string;

  beforeAll(async () => {
    nats = await startNatsServer();
    const config = platformTestConfig({ NATS_URL: nats.url, AUTH_PUBLIC_KEY: keys.publicKey });
    ({ token: actorToken } = await new AccessTokenSigner(keys.signingKey).sign({
      sub: memberId,
      role: 'member',
    }));
    const logger = createLogger('rpc-test', 'silent');
    @Module({
      imports: [PlatformModule.forRoot({ service: 'rpc-test', config, mongo: false, logger })],
      controllers: [MemberHandler],
    })
    class AppModule {}
    service = await bootstrapService({
      service: 'rpc-test',
      module: AppModule,
      config,
      logger,
      handleSignals: false,
    });
    client = service.app.get(RpcClient);
    await service.app.get(NatsService).ready();
    await service.rpcReady;
    raw = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await raw?.close();
    await service?.shutdown();
    await nats?.stop();
  });

  it('returns the validated reply and carries the request id to the handler', async () => {
    seen.length = 0;
    const reply = await runWithRequestId('req-123', () =>
      client.call(identityRpc.memberGet, { memberId }, { actorToken }),
    );
    expect(reply.displayName).toBe('Amal');
    expect(seen).toEqual([
      { requestId: 'req-123', actor: { memberId, role: 'member', sessionId: null } },
    ]);
  });

  it('passes an RpcFailure body through unchanged', async () => {
    const err = await client
      .call(identityRpc.memberGet, { memberId: 'b'.repeat(24) }, { actorToken })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcCallError);
    expect((err as RpcCallError).body).toEqual({
      code: 'NOT_FOUND',
      message: 'no such member',
      details: { memberId: 'b'.repeat(24) },
    });
  });

  it('turns an unexpected error into a generic INTERNAL without leaking the message', async () => {
    const err = (await client
      .call(identityRpc.memberGet, { memberId: 'c'.repeat(24) }, { actorToken })
      .catch((e: unknown) => e)) as RpcCallError;
    expect(err.body).toEqual({ code: 'INTERNAL', message: 'internal error' });
  });

  it('rejects a reply that breaks the contract', async () => {
    const err = (await client
      .call(identityRpc.memberGet, { memberId: 'd'.repeat(24) }, { actorToken })
      .catch((e: unknown) => e)) as RpcCallError;
    expect(err.code).toBe('INTERNAL');
    expect(err.body.message).toMatch(/reply does not match/);
  });

  it('validates requests before sending them', async () => {
    seen.length = 0;
    const bad = { memberId: 'nope' };
    const err = (await client
      .call(identityRpc.memberGet, bad, { actorToken })
      .catch((e: unknown) => e)) as RpcCallError;
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(seen).toHaveLength(0);
  });

  it('answers a malformed payload with VALIDATION_FAILED and the zod issues', async () => {
    seen.length = 0;
    const h = headers();
    h.set(REQUEST_ID_HEADER, 'raw-1');
    h.set(ACTOR_TOKEN_HEADER, actorToken);
    const payload = {
      pattern: identityRpc.memberGet.subject,
      id: 'x1',
      data: { memberId, $where: '1' },
    };
    const msg = await raw.request(identityRpc.memberGet.subject, JSON.stringify(payload), {
      timeout: 2_000,
      headers: h,
    });
    const reply = msg.json<{ err: { code: string; details: { code: string }[] } }>();
    expect(reply.err.code).toBe('VALIDATION_FAILED');
    expect(reply.err.details[0]?.code).toBe('unrecognized_keys');
    expect(seen).toHaveLength(0);
  });

  it('never answers on a reply subject that is not an inbox (a reply aimed into a stream)', async () => {
    seen.length = 0;
    const aimed = 'agora.identity.evt.member.deleted';
    const landed = raw.subscribe(aimed, { max: 1 });
    const h = headers();
    h.set(ACTOR_TOKEN_HEADER, actorToken);
    const payload = { pattern: identityRpc.memberGet.subject, id: 'x2', data: { memberId } };
    raw.publish(identityRpc.memberGet.subject, JSON.stringify(payload), {
      reply: aimed,
      headers: h,
    });
    // The same request with an inbox reply is answered: once it is, the other had its chance.
    const h2 = headers();
    h2.set(ACTOR_TOKEN_HEADER, actorToken);
    await raw.request(identityRpc.memberGet.subject, JSON.stringify({ ...payload, id: 'x3' }), {
      timeout: 2_000,
      headers: h2,
    });
    await raw.flush();
    expect(landed.getProcessed()).toBe(0);
    expect(seen).toHaveLength(1);
    landed.unsubscribe();
  });

  it('reports UNAVAILABLE when nobody serves the subject', async () => {
    const err = (await client
      .call(identityRpc.roleSet, { memberId, role: 'admin' }, { timeoutMs: 1_000, actorToken })
      .catch((e: unknown) => e)) as RpcCallError;
    expect(err.code).toBe('UNAVAILABLE');
    expect(err.message).toMatch(/no service is answering/);
  });

  it('reports UNAVAILABLE, saying so, when the service takes the request and never answers', async () => {
    const silent = raw.subscribe(identityRpc.roleSet.subject, { callback: () => undefined });
    await raw.flush();
    const err = (await client
      .call(identityRpc.roleSet, { memberId, role: 'admin' }, { timeoutMs: 300, actorToken })
      .catch((e: unknown) => e)) as RpcCallError;
    silent.unsubscribe();
    expect(err).toBeInstanceOf(RpcCallError);
    expect(err.code).toBe('UNAVAILABLE');
    expect(err.message).toMatch(/did not answer in time/);
  });

  it('serves /healthz and /readyz', async () => {
    const base = `http://127.0.0.1:${service.port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { nats: true } });
  });
});
