// Kills the nats-server process under a running service and restarts it on the same port and store:
// every event JetStream acknowledged survives and reaches the durable consumer, the consumer resumes
// by itself, RPCs answer again, and /readyz follows the connection (false while down, true after).
import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import {
  bootstrapService,
  ConsumerRunner,
  createLogger,
  ensureStream,
  EventPublisher,
  NatsService,
  onEvent,
  PlatformModule,
  Rpc,
  RpcClient,
  type RunningService,
} from '@agora/platform';
import {
  platformTestConfig,
  startNatsServer,
  type NatsServerHandle,
} from '@agora/platform/testing';
import { identityEvents, identityRpc, streams, type ConsumerDef } from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const memberId = 'c'.repeat(24);
const restartConsumer: ConsumerDef = {
  stream: streams.identity.name,
  durable: 'platform-restart-test',
  filterSubjects: [identityEvents.profileUpdated.subject],
  maxDeliver: 5,
  ackWaitMs: 5_000,
  concurrency: 4,
};

@Controller()
class LogoutHandler {
  @Rpc(identityRpc.logout)
  logout() {
    return { ok: true as const };
  }
}

describe('platform survives a nats-server crash', () => {
  let nats: NatsServerHandle;
  let service: RunningService;
  const handled = new Set<string>();
  const acked: string[] = [];
  let failedPublishes = 0;

  beforeAll(async () => {
    nats = await startNatsServer();
    const config = platformTestConfig({ NATS_URL: nats.url });
    const logger = createLogger('restart-test', 'silent');
    @Module({
      imports: [PlatformModule.forRoot({ service: 'restart-test', config, mongo: false, logger })],
      controllers: [LogoutHandler],
    })
    class AppModule {}
    service = await bootstrapService({
      service: 'restart-test',
      module: AppModule,
      config,
      logger,
      handleSignals: false,
    });
    await service.rpcReady;
    // This process owns no stream: create the one it publishes to, as identity would.
    await ensureStream(service.app.get(NatsService).jsm, streams.identity);
    service.app.get(ConsumerRunner).run(restartConsumer, [
      onEvent(identityEvents.profileUpdated, (env) => {
        handled.add(env.id);
        return Promise.resolve();
      }),
    ]);
  });

  afterAll(async () => {
    await service?.shutdown();
    await nats?.stop();
  });

  const readyStatus = async (): Promise<number> =>
    (await fetch(`http://127.0.0.1:${service.port}/readyz`)).status;

  it('loses nothing acknowledged and resumes consuming and answering', async () => {
    const publisher = service.app.get(EventPublisher);
    let publishing = true;
    // One publisher, one event at a time, as a service would: an event counts only once JetStream acked it.
    const loop = (async () => {
      while (publishing) {
        try {
          const r = await publisher.publish(
            identityEvents.profileUpdated,
            { actor: memberId, subject: memberId, data: { memberId, fields: ['bio'] } },
            { attempts: 1, ackTimeoutMs: 500 },
          );
          acked.push(r.envelope.id);
        } catch {
          failedPublishes += 1;
          await new Promise((r) => setTimeout(r, 50));
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();

    await expect.poll(() => acked.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(30);
    await expect.poll(() => handled.size, { timeout: 10_000 }).toBeGreaterThanOrEqual(20);
    expect(await readyStatus()).toBe(200);

    const ackedBeforeCrash = acked.length;
    await nats.kill();
    await expect.poll(readyStatus, { timeout: 10_000, interval: 100 }).toBe(503);
    // Down for a while: publishes fail (and are not counted), nothing hangs.
    await new Promise((r) => setTimeout(r, 1_500));
    const failuresWhileDown = failedPublishes;

    await nats.restart();
    await expect.poll(readyStatus, { timeout: 20_000, interval: 200 }).toBe(200);
    await expect
      .poll(() => acked.length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(ackedBeforeCrash + 30);
    publishing = false;
    await loop;

    expect(failuresWhileDown).toBeGreaterThan(0);
    // Every acknowledged event is in the stream after the crash...
    const info = await service.app.get(NatsService).jsm.streams.info(streams.identity.name);
    expect(info.state.messages).toBeGreaterThanOrEqual(acked.length);
    // ...and the consumer, which resumed by itself, handled each of them.
    await expect
      .poll(() => acked.filter((id) => !handled.has(id)).length, { timeout: 30_000, interval: 250 })
      .toBe(0);

    const reply = await service.app
      .get(RpcClient)
      .call(identityRpc.logout, { refreshToken: 'x' }, { timeoutMs: 3_000 });
    expect(reply).toEqual({ ok: true });
  });
});
