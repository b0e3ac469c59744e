import {
  Global,
  Inject,
  Module,
  Optional,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { AccessTokens } from './auth/access-tokens.js';
import { ConfigError } from './config/config-error.js';
import type { PlatformConfig } from './config/platform-env.schema.js';
import { ConsumerRunner } from './events/consumer-runner.js';
import { EventPublisher } from './events/event-publisher.js';
import { OutboxRelay } from './events/outbox-relay.js';
import { HealthController } from './health/health.controller.js';
import { HealthService } from './health/health.service.js';
import { createLogger } from './logging/create-logger.js';
import { MongoService } from './mongo/mongo.service.js';
import { natsConnectionOf } from './nats/nats-connection.js';
import { NatsService } from './nats/nats.service.js';
import { PLATFORM_CONFIG, PLATFORM_LOGGER, PLATFORM_OPTIONS } from './platform.tokens.js';
import { InflightTracker } from './rpc/inflight-tracker.js';
import { RpcClient } from './rpc/rpc-client.js';

export interface PlatformModuleOptions {
  /** Service name: queue group, NATS connection name, database `agora_<service>`, log field. */
  service: string;
  config: PlatformConfig;
  /** Connect mongoose to MONGO_URL (required then). */
  mongo: boolean;
  /** Defaults to `createLogger(service, config.LOG_LEVEL)`. */
  logger?: Logger;
}

/** Starts connections at init; stops consumers and the relay, then drains NATS and closes the store at shutdown. */
class PlatformLifecycle implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(NatsService) private readonly nats: NatsService,
    @Inject(ConsumerRunner) private readonly consumers: ConsumerRunner,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Optional() @Inject(MongoService) private readonly mongo?: MongoService,
  ) {}

  onModuleInit(): void {
    this.nats.start();
    this.mongo?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.consumers.stopAll(), this.relay.stop()]);
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
    const nats = new NatsService({ ...natsConnectionOf(config), name: service, logger });
    const mongo =
      options.mongo && config.MONGO_URL
        ? new MongoService({ url: config.MONGO_URL, service, logger })
        : undefined;
    const publisher = new EventPublisher(nats, logger);

    const providers: Provider[] = [
      { provide: PLATFORM_OPTIONS, useValue: options },
      { provide: PLATFORM_CONFIG, useValue: config },
      { provide: PLATFORM_LOGGER, useValue: logger },
      { provide: NatsService, useValue: nats },
      { provide: RpcClient, useValue: new RpcClient(nats) },
      { provide: EventPublisher, useValue: publisher },
      { provide: ConsumerRunner, useValue: new ConsumerRunner(nats, logger) },
      { provide: OutboxRelay, useValue: new OutboxRelay(publisher, logger) },
      { provide: AccessTokens, useValue: new AccessTokens(config.AUTH_JWT_SECRET) },
      { provide: HealthService, useValue: new HealthService(nats, mongo) },
      { provide: InflightTracker, useValue: new InflightTracker() },
      PlatformLifecycle,
    ];
    if (mongo) providers.push({ provide: MongoService, useValue: mongo });

    return {
      module: PlatformModule,
      global: true,
      controllers: [HealthController],
      providers,
      exports: providers.filter((p) => p !== PlatformLifecycle),
    };
  }
}
