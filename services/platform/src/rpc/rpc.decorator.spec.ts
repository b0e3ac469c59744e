import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { identityRpc, type RpcPayload, type RpcResponse } from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapService, type RunningService } from '../bootstrap/bootstrap-service.js';
import { createLogger } from '../logging/create-logger.js';
import { PlatformModule } from '../platform.module.js';
import { startNatsServer, type NatsServerHandle } from '../testing/nats-server.js';
import { platformTestConfig } from '../testing/test-config.js';
import { RpcClient } from './rpc-client.js';
import { Rpc } from './rpc.decorator.js';

type Lookup = typeof identityRpc.invitationLookup;
const received: unknown[] = [];

@Controller()
class LookupHandler {
  @Rpc(identityRpc.invitationLookup)
  lookup(req: RpcPayload<Lookup>): RpcResponse<Lookup> {
    received.push(req);
    return { inviterName: 'Yasmin', email: 'guest@example.org', message: `for ${req.token}` };
  }

  @Rpc(identityRpc.logout)
  async logout(): Promise<RpcResponse<typeof identityRpc.logout>> {
    await Promise.resolve();
    return { ok: true };
  }
}

@Controller()
class BareHandler {
  @MessagePattern(identityRpc.logout.subject)
  logout() {
    return { ok: true };
  }
}

@Controller()
class SecondLookupHandler {
  @Rpc(identityRpc.invitationLookup)
  lookup(): RpcResponse<Lookup> {
    return { inviterName: '', email: '', message: '' };
  }
}

// Checked by `npm run check` (tsc over spec files): each @ts-expect-error line must NOT compile,
// so a handler whose request or response type drifts from its RpcDef is a type error.
export class Mismatched {
  // @ts-expect-error the parameter is another RPC's request
  @Rpc(identityRpc.invitationLookup) a(req: RpcPayload<typeof identityRpc.logout>) {
    return { inviterName: req.refreshToken, email: '', message: '' };
  }

  // @ts-expect-error the answer lacks fields the def's response requires
  @Rpc(identityRpc.invitationLookup) b(): RpcResponse<typeof identityRpc.logout> {
    return { ok: true };
  }

  // @ts-expect-error a request field the def does not have
  @Rpc(identityRpc.logout) c(req: { refreshToken: string; extra: number }) {
    return { ok: true as const, n: req.extra };
  }
}

async function boot(natsUrl: string, controllers: unknown[]): Promise<RunningService> {
  const config = platformTestConfig({ NATS_URL: natsUrl });
  const logger = createLogger('rpc-decorator-test', 'silent');
  @Module({
    imports: [
      PlatformModule.forRoot({ service: 'rpc-decorator-test', config, mongo: false, logger }),
    ],
    controllers: controllers as never[],
  })
  class AppModule {}
  return bootstrapService({
    service: 'rpc-decorator-test',
    module: AppModule,
    config,
    logger,
    handleSignals: false,
  });
}

describe('@Rpc(def) over a real nats-server', () => {
  let nats: NatsServerHandle;
  let service: RunningService;
  let client: RpcClient;
  let raw: NatsConnection;

  beforeAll(async () => {
    nats = await startNatsServer();
    service = await boot(nats.url, [LookupHandler]);
    await service.rpcReady;
    client = service.app.get(RpcClient);
    raw = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await raw?.close();
    await service?.shutdown();
    await nats?.stop();
  });

  it('subscribes the def’s subject and hands the handler the validated payload', async () => {
    received.length = 0;
    const token = 't'.repeat(20);
    await expect(client.call(identityRpc.invitationLookup, { token })).resolves.toEqual({
      inviterName: 'Yasmin',
      email: 'guest@example.org',
      message: `for ${token}`,
    });
    await expect(client.call(identityRpc.logout, { refreshToken: 'r' })).resolves.toEqual({
      ok: true,
    });
    expect(received).toEqual([{ token }]);
  });

  it('answers VALIDATION_FAILED without calling the handler when the payload breaks the def', async () => {
    received.length = 0;
    // Sent raw: RpcClient would refuse it before it left.
    const reply = await raw.request(
      identityRpc.invitationLookup.subject,
      JSON.stringify({
        pattern: identityRpc.invitationLookup.subject,
        id: 'x',
        data: { token: 'short' },
      }),
      { timeout: 5_000 },
    );
    const body = reply.json<{ err: { code: string; details: { path: string[] }[] } }>();
    expect(body.err.code).toBe('VALIDATION_FAILED');
    expect(body.err.details[0]?.path).toEqual(['token']);
    expect(received).toEqual([]);
  });

  it('refuses at start a handler bound with a bare @MessagePattern', async () => {
    await expect(boot(nats.url, [BareHandler])).rejects.toThrow(
      'agora.identity.logout: bind RPC handlers with @Rpc(def) from @agora/platform, not @MessagePattern or @EventPattern',
    );
  });

  it('refuses at start two handlers for one RpcDef', async () => {
    await expect(boot(nats.url, [LookupHandler, SecondLookupHandler])).rejects.toThrow(
      'agora.identity.invitation.lookup: bound twice (two @Rpc handlers for one RpcDef)',
    );
  });
});
