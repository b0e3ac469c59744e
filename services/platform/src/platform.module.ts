import {
  Global,
  Inject,
  Module,
  Optional,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { Logger } from 'pino';
import { AccessTokens } from './auth/access-tokens.js';
import { CachedAccessTokens } from './auth/cached-access-tokens.js';
import { ConfigError } from './config/config-error.js';
import type { PlatformConfig } from './config/platform-env.schema.js';
import { ConsumerRunner } from './events/consumer-runner.js';
import { EventHandlerExplorer } from './events/event-handler.explorer.js';
import { EventPublisher } from './events/event-publisher.js';
import { Outbox } from './events/outbox.js';
import { OutboxRelay } from './events/outbox-relay.js';
import { HealthController } from './health/health.controller.js';
import { HealthService } from './health/health.service.js';
import { createLogger } from './logging/create-logger.js';
import { MongoService } from './mongo/mongo.service.js';
import { natsConnectionOf } from './nats/nats-connection.js';
import { NatsService } from './nats/nats.service.js';
import { PLATFORM_LOGGER } from './platform.tokens.js';
import { InflightTracker } from './rpc/inflight-tracker.js';
import { RpcClient } from './rpc/rpc-client.js';
import { Clock } from './time/clock.js';

export interface PlatformModuleOptions {
  /** Service name: queue group, NATS connection name, database `agora_<service>`, log field. */
  service: string;
  config: PlatformConfig;
  /** Connect mongoose to MONGO_URL (required then). */
  mongo: boolean;
  /** Defaults to `createLogger(service, config.LOG_LEVEL)`. */
  logger?: Logger;
  /** The `Clock` every provider gets; tests pass one they can move. */
  clock?: Clock;
}

/**
 * Starts connections at init, and once every provider exists the outbox relay and the consumers of
 * the `@OnEvent` handlers; at shutdown stops those, then drains NATS and closes the store.
 */
class PlatformLifecycle
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(
    @Inject(NatsService) private readonly nats: NatsService,
    @Inject(ConsumerRunner) private readonly consumers: ConsumerRunner,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(EventHandlerExplorer) private readonly handlers: EventHandlerExplorer,
    @Optional() @Inject(MongoService) private readonly mongo?: MongoService,
  ) {}

  onModuleInit(): void {
    this.nats.start();
    this.mongo?.start();
  }

  onApplicationBootstrap(): void {
    this.relay.start();
    this.handlers.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    // The relay first: an event it is publishing as we stop then still finds this process's consumers
    // pulling. Stopped the other way round, the server could hand it to a consumer on its way out
    // and redeliver it only after the ack wait.
    await this.relay.stop();
    await this.consumers.stopAll();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.nats.drain();
    await this.mongo?.close();
  }
}

@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    const { config, service } = options;
    if (options.mongo && !config.MONGO_URL) {
      throw new ConfigError('MONGO_URL', `required but not set (${service} has a database)`);
    }
    const logger = options.logger ?? createLogger(service, config.LOG_LEVEL);
    const nats = new NatsService({
      ...natsConnectionOf(config),
      name: service,
      logger,
      replicas: config.JETSTREAM_REPLICAS,
    });
    const mongo =
      options.mongo && config.MONGO_URL
        ? new MongoService({ url: config.MONGO_URL, service, logger })
        : undefined;
    const publisher = new EventPublisher(nats, logger);
    const relay = new OutboxRelay(publisher, logger);

    const providers: Provider[] = [
      { provide: PLATFORM_LOGGER, useValue: logger },
      { provide: Clock, useValue: options.clock ?? new Clock() },
      { provide: NatsService, useValue: nats },
      { provide: RpcClient, useValue: new RpcClient(nats) },
      { provide: EventPublisher, useValue: publisher },
      { provide: ConsumerRunner, useValue: new ConsumerRunner(nats, logger) },
      { provide: OutboxRelay, useValue: relay },
      { provide: Outbox, useValue: new Outbox(relay) },
      { provide: AccessTokens, useValue: new CachedAccessTokens(config.AUTH_PUBLIC_KEY) },
      { provide: HealthService, useValue: new HealthService(nats, mongo) },
      { provide: InflightTracker, useValue: new InflightTracker() },
      EventHandlerExplorer,
      PlatformLifecycle,
    ];
    if (mongo) providers.push({ provide: MongoService, useValue: mongo });
    const internal: Provider[] = [EventHandlerExplorer, PlatformLifecycle];

    return {
      module: PlatformModule,
      global: true,
      imports: [DiscoveryModule],
      controllers: [HealthController],
      providers,
      exports: providers.filter((p) => !internal.includes(p)),
    };
  }
}
