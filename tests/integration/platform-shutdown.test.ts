// A service process as the launcher runs it: config errors stop it with one line, SIGTERM lets RPCs in
// flight finish and exits 0, and a shutdown that overruns SHUTDOWN_TIMEOUT_MS exits 1. The service is a
// plain-JS module evaluated in services/platform, so it loads the built @agora/platform (dist).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, NatsService, RpcClient } from '@agora/platform';
import {
  freePort,
  startNatsServer,
  testAccessKeys,
  type NatsServerHandle,
} from '@agora/platform/testing';
import { identityRpc } from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const platformDir = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'services',
  'platform',
);

const serviceSource = `
import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { bootstrapService, createLogger, loadConfig, platformEnvSchema, PlatformModule, Rpc } from '@agora/platform';
import { identityRpc } from '@agora/proto';

const config = loadConfig(platformEnvSchema);
const logger = createLogger('shutdown-fixture', config.LOG_LEVEL);
class LogoutHandler {
  async logout(req) {
    await new Promise((r) => setTimeout(r, Number(req.refreshToken)));
    return { ok: true };
  }
}
Rpc(identityRpc.logout)(LogoutHandler.prototype, 'logout',
  Object.getOwnPropertyDescriptor(LogoutHandler.prototype, 'logout'));
Controller()(LogoutHandler);
class AppModule {}
Module({
  imports: [PlatformModule.forRoot({ service: 'shutdown-fixture', config, mongo: false, logger })],
  controllers: [LogoutHandler],
})(AppModule);
await bootstrapService({ service: 'shutdown-fixture', module: AppModule, config, logger });
`;

interface ServiceProcess {
  child: ChildProcess;
  port: number;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

async function spawnService(env: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--input-type=module', '--eval', serviceSource], {
    cwd: platformDir,
    env: { PATH: process.env.PATH ?? '', HEALTH_PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, port, out: () => out, err: () => err, exited };
}

async function waitReady(port: number): Promise<void> {
  await expect
    .poll(
      () =>
        fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.status,
          () => 0,
        ),
      {
        timeout: 20_000,
        interval: 200,
      },
    )
    .toBe(200);
}

describe('service process lifecycle', () => {
  let nats: NatsServerHandle;
  let bus: NatsService;
  let client: RpcClient;
  const { publicKey } = testAccessKeys();

  beforeAll(async () => {
    expect(
      existsSync(join(platformDir, 'dist', 'index.js')),
      'build @agora/platform first: npm run build -w @agora/platform',
    ).toBe(true);
    nats = await startNatsServer();
    bus = new NatsService({
      url: nats.url,
      name: 'shutdown-test',
      logger: createLogger('t', 'silent'),
    });
    await bus.ready();
    client = new RpcClient(bus);
  });

  afterAll(async () => {
    await bus?.drain();
    await nats?.stop();
  });

  it('stops at start with one line naming a missing variable', async () => {
    const svc = await spawnService({ NATS_URL: nats.url });
    expect(await svc.exited).toBe(1);
    expect(svc.err()).toBe('config error: AUTH_PUBLIC_KEY: required but not set\n');
  });

  it('stops at start with one line naming a bad variable', async () => {
    const svc = await spawnService({ NATS_URL: 'localhost:4222', AUTH_PUBLIC_KEY: publicKey });
    expect(await svc.exited).toBe(1);
    expect(svc.err()).toMatch(/^config error: NATS_URL: a nats:\/\/ URL[^\n]*\n$/);
  });

  it('finishes an RPC in flight on SIGTERM and exits 0 well within 10 s', async () => {
    const svc = await spawnService({ NATS_URL: nats.url, AUTH_PUBLIC_KEY: publicKey });
    await waitReady(svc.port);
    const call = client.call(identityRpc.logout, { refreshToken: '1500' }, { timeoutMs: 5_000 });
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    svc.child.kill('SIGTERM');
    await expect(call).resolves.toEqual({ ok: true });
    expect(await svc.exited).toBe(0);
    const took = Date.now() - started;
    expect(took).toBeLessThan(10_000);
    expect(svc.out()).toMatch(/"msg":"shut down"/);
    // Nobody answers any more.
    const after = await client
      .call(identityRpc.logout, { refreshToken: '1' }, { timeoutMs: 500 })
      .catch((e: unknown) => e);
    expect(after).toMatchObject({ body: { code: 'UNAVAILABLE' } });
  });

  it('exits 1 when shutdown overruns SHUTDOWN_TIMEOUT_MS', async () => {
    const svc = await spawnService({
      NATS_URL: nats.url,
      AUTH_PUBLIC_KEY: publicKey,
      SHUTDOWN_TIMEOUT_MS: '500',
    });
    await waitReady(svc.port);
    const call = client
      .call(identityRpc.logout, { refreshToken: '4000' }, { timeoutMs: 1_500 })
      .catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    svc.child.kill('SIGTERM');
    expect(await svc.exited).toBe(1);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(svc.out()).toMatch(/shutdown took longer than 500 ms/);
    await call;
  });
});
