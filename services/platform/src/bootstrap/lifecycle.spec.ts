import 'reflect-metadata';
import { createServer, connect as netConnect, type Server } from 'node:net';
import { Controller, Module } from '@nestjs/common';
import { identityRpc, type RpcPayload } from '@agora/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/create-logger.js';
import { NatsService } from '../nats/nats.service.js';
import { PlatformModule } from '../platform.module.js';
import { RpcCallError } from '../rpc/rpc-call-error.js';
import { RpcClient } from '../rpc/rpc-client.js';
import { Rpc } from '../rpc/rpc.decorator.js';
import { freePort } from '../testing/free-port.js';
import { startNatsServer } from '../testing/nats-server.js';
import { platformTestConfig } from '../testing/test-config.js';
import { bootstrapService, type RunningService } from './bootstrap-service.js';

const ok = { ok: true as const };
let handled = 0;
let begun = 0;

@Controller()
class SlowLogoutHandler {
  @Rpc(identityRpc.logout)
  async logout(req: RpcPayload<typeof identityRpc.logout>) {
    begun += 1;
    await new Promise((r) => setTimeout(r, Number(req.refreshToken)));
    handled += 1;
    return ok;
  }
}

async function startService(natsUrl: string): Promise<RunningService> {
  const config = platformTestConfig({ NATS_URL: natsUrl });
  const logger = createLogger('lifecycle-test', 'silent');
  @Module({
    imports: [PlatformModule.forRoot({ service: 'lifecycle-test', config, mongo: false, logger })],
    controllers: [SlowLogoutHandler],
  })
  class AppModule {}
  return bootstrapService({
    service: 'lifecycle-test',
    module: AppModule,
    config,
    logger,
    handleSignals: false,
  });
}

async function readyz(
  service: RunningService,
): Promise<{ status: number; body: { checks: { nats: boolean; reason?: string } } }> {
  const res = await fetch(`http://127.0.0.1:${service.port}/readyz`);
  return {
    status: res.status,
    body: (await res.json()) as { checks: { nats: boolean; reason?: string } },
  };
}

/**
 * A TCP proxy to nats-server that holds what the service sends for `delayMs` (what reaches it from the
 * server passes at once), as a loaded machine might: the service's SUBs then reach the server late.
 */
async function slowUplink(
  target: number,
  delayMs: number,
): Promise<{ url: string; server: Server }> {
  const server = createServer((down) => {
    const up = netConnect(target, '127.0.0.1');
    down.on('data', (chunk) => setTimeout(() => up.write(chunk), delayMs));
    up.pipe(down);
    const close = (): void => {
      up.destroy();
      down.destroy();
    };
    up.on('error', close).on('close', close);
    down.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `nats://127.0.0.1:${port}`, server };
}

describe('service lifecycle', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('starts without NATS, reports unready with the reason, and becomes ready when NATS appears', async () => {
    const port = await freePort();
    const service = await startService(`nats://127.0.0.1:${port}`);
    cleanup.push(() => service.shutdown());

    const health = await fetch(`http://127.0.0.1:${service.port}/healthz`);
    expect(health.status).toBe(200);
    const before = await readyz(service);
    expect(before.status).toBe(503);
    expect(before.body.checks.nats).toBe(false);
    expect(before.body.checks.reason).toMatch(/cannot connect to nats:\/\/127\.0\.0\.1/);

    const nats = await startNatsServer({ port });
    cleanup.push(() => nats.stop());
    await expect
      .poll(async () => (await readyz(service)).status, { timeout: 10_000, interval: 200 })
      .toBe(200);
    await service.rpcReady;
    const reply = await service.app.get(RpcClient).call(identityRpc.logout, { refreshToken: '1' });
    expect(reply).toEqual(ok);
  });

  it('is RPC-ready only once nats-server has its subscriptions, even when they travel slowly', async () => {
    const nats = await startNatsServer();
    cleanup.push(() => nats.stop());
    const uplink = await slowUplink(nats.port, 300);
    cleanup.push(() => new Promise((resolve) => uplink.server.close(() => resolve())));
    const service = await startService(uplink.url);
    cleanup.push(() => service.shutdown());
    await service.rpcReady;
    const bus = new NatsService({
      url: nats.url,
      name: 'caller',
      logger: createLogger('caller', 'silent'),
    });
    cleanup.push(() => bus.drain());
    const reply = await new RpcClient(bus).call(identityRpc.logout, { refreshToken: '1' });
    expect(reply).toEqual(ok);
  });

  it('finishes an RPC in flight, then stops answering, drains NATS and reports unready', async () => {
    const nats = await startNatsServer();
    cleanup.push(() => nats.stop());
    const service = await startService(nats.url);
    await service.rpcReady;
    // A bare client (no handlers of its own), so every call lands on the service under test.
    const bus = new NatsService({
      url: nats.url,
      name: 'caller',
      logger: createLogger('caller', 'silent'),
    });
    cleanup.push(() => bus.drain());
    const client = new RpcClient(bus);

    handled = 0;
    begun = 0;
    const inflight = client.call(identityRpc.logout, { refreshToken: '400' }, { timeoutMs: 3_000 });
    await expect.poll(() => begun, { interval: 10 }).toBe(1);
    const started = Date.now();
    const stopping = service.shutdown();
    // Still finishing the call: HTTP is up but readiness is withdrawn.
    const ready = await readyz(service);
    expect(ready.status).toBe(503);
    expect(ready.body.checks.reason).toMatch(/shutting down/);
    await expect(inflight).resolves.toEqual(ok);
    await stopping;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(handled).toBe(1);
    expect(service.app.get(NatsService).isConnected).toBe(false);

    const err = await client
      .call(identityRpc.logout, { refreshToken: '1' }, { timeoutMs: 500 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcCallError);
    expect((err as RpcCallError).code).toBe('UNAVAILABLE');
    expect(begun).toBe(1);
  });
});
