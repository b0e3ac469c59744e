import 'reflect-metadata';

export { ConfigError } from './config/config-error.js';
export { exitOnConfigError, loadConfig, parseConfig } from './config/load-config.js';
export {
  mongoEnvSchema,
  platformEnvSchema,
  type PlatformConfig,
} from './config/platform-env.schema.js';

export { createLogger, type Logger } from './logging/create-logger.js';
export { NestPinoLogger } from './logging/nest-logger.js';
export {
  currentRequestId,
  REQUEST_ID_HEADER,
  requestContext,
  requestIdFrom,
  runWithRequestId,
  type RequestContextStore,
} from './logging/request-context.js';

export { backoffMs } from './nats/backoff.js';
export { NatsService, type NatsServiceOptions } from './nats/nats.service.js';
export {
  natsConnectionOf,
  type NatsConnectionSettings,
  type NatsTlsFiles,
} from './nats/nats-connection.js';
export {
  consumerConfigOf,
  DEAD_LETTER_HEADROOM,
  ensureBucket,
  ensureConsumer,
  ensureStream,
  streamConfigOf,
} from './nats/provision.js';

export { InflightTracker } from './rpc/inflight-tracker.js';
export { RpcCallError } from './rpc/rpc-call-error.js';
export { RpcClient, type RpcCallOptions } from './rpc/rpc-client.js';
export { RpcContextInterceptor } from './rpc/rpc-context.interceptor.js';
export { RpcErrorFilter } from './rpc/rpc-error.filter.js';
export { RpcFailure } from './rpc/rpc-failure.js';
export { ZodPayloadPipe } from './rpc/zod-payload.pipe.js';

export {
  ConsumerRunner,
  DEAD_LETTER_HEADERS,
  KEEP_ALIVE_ACK_WAITS,
  type ConsumerContext,
  type ConsumerRunnerOptions,
  type EventHandler,
  type EventHandlers,
  type RunningConsumer,
} from './events/consumer-runner.js';
export {
  buildEnvelope,
  InvalidEventError,
  parseEnvelope,
  type EventInput,
} from './events/envelope.js';
export {
  EventPublisher,
  type PublishOptions,
  type PublishResult,
} from './events/event-publisher.js';
export { outboxEntry, outboxSchemaField, type OutboxEntry } from './events/outbox.js';
export { OutboxRelay, type OutboxModel, type OutboxRelayOptions } from './events/outbox-relay.js';

export { MongoService, type MongoServiceOptions } from './mongo/mongo.service.js';
export { AccessTokens, MAX_ACCESS_TTL_SECONDS, type AccessClaims } from './auth/access-tokens.js';
export { HealthService, type Readiness } from './health/health.service.js';
export { HealthController } from './health/health.controller.js';

export { PlatformModule, type PlatformModuleOptions } from './platform.module.js';
export { PLATFORM_CONFIG, PLATFORM_LOGGER, PLATFORM_OPTIONS } from './platform.tokens.js';
export {
  bootstrapService,
  type BootstrapOptions,
  type RunningService,
} from './bootstrap/bootstrap-service.js';
export { NatsRpcStrategy } from './bootstrap/nats-rpc.strategy.js';
