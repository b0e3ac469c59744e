import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { startStore, type RunningStore } from '@agora/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.js';
import { createLogger } from '../logging/create-logger.js';
import { MongoService } from '../mongo/mongo.service.js';
import { PlatformModule } from '../platform.module.js';
import { startNatsServer, type NatsServerHandle } from '../testing/nats-server.js';
import { platformTestConfig } from '../testing/test-config.js';
import { bootstrapService, type RunningService } from './bootstrap-service.js';

const logger = createLogger('mongo-readiness', 'silent');

describe('a service with a database', () => {
  let nats: NatsServerHandle;
  let dbpath: string;
  let store: RunningStore;
  let service: RunningService;

  beforeAll(async () => {
    nats = await startNatsServer();
    dbpath = await mkdtemp(join(tmpdir(), 'agora-readiness-spec-'));
    store = await startStore({ port: 0, dbpath, logger: () => undefined });
    const config = platformTestConfig({ NATS_URL: nats.url, MONGO_URL: store.url });
    @Module({
      imports: [PlatformModule.forRoot({ service: 'readiness', config, mongo: true, logger })],
    })
    class AppModule {}
    service = await bootstrapService({
      service: 'readiness',
      module: AppModule,
      config,
      logger,
      handleSignals: false,
    });
  });

  afterAll(async () => {
    await service?.shutdown();
    await store?.close();
    await rm(dbpath, { recursive: true, force: true });
    await nats?.stop();
  });

  it('is ready once NATS and the store answer, with both checks reported', async () => {
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${service.port}/readyz`)).status, {
        timeout: 10_000,
      })
      .toBe(200);
    const body = await (await fetch(`http://127.0.0.1:${service.port}/readyz`)).json();
    expect(body).toEqual({ status: 'ready', checks: { nats: true, mongo: true } });
    expect(service.app.get(MongoService).dbName).toBe('agora_readiness');
  });

  it('refuses mongo: true without MONGO_URL, naming the variable', () => {
    const config = platformTestConfig({ NATS_URL: nats.url });
    expect(() => PlatformModule.forRoot({ service: 'x', config, mongo: true, logger })).toThrow(
      ConfigError,
    );
    expect(() => PlatformModule.forRoot({ service: 'x', config, mongo: true, logger })).toThrow(
      /^config error: MONGO_URL: /,
    );
  });
});
