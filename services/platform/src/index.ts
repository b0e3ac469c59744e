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
  JetStreamAcks,
  JetStreamPublishError,
  type AckedPublishOptions,
  type PubAck,
} from './nats/jetstream-acks.js';
export { UploadRepository } from './uploads/upload.repository.js';
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
export {
  RpcClient,
  type MemberRpcCallOptions,
  type RpcCallArgs,
  type RpcCallOptions,
} from './rpc/rpc-client.js';
export { Rpc, type RpcHandler } from './rpc/rpc.decorator.js';
export type { VerifiedActor } from './rpc/actor.guard.js';
export { RpcFailure } from './rpc/rpc-failure.js';

export {
  ConsumerRunner,
  DEAD_LETTER_HEADERS,
  KEEP_ALIVE_ACK_WAITS,
  type BatchEvent,
  type BatchHandler,
  type ConsumerRunnerOptions,
  type RunningConsumer,
} from './events/consumer-runner.js';
export {
  onEvent,
  type ConsumerContext,
  type EventBinding,
  type TypedEventHandler,
} from './events/event-handler.js';
export { OnEvent } from './events/on-event.decorator.js';
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
export { pendingEvent, type PendingEvent } from './events/pending-event.js';
export {
  outboxEntries,
  outboxEntry,
  outboxSchemaField,
  type OutboxEntry,
} from './events/outbox-entry.js';
export {
  Outbox,
  OutboxWriter,
  type OutboxBulkResult,
  type OutboxBulkWrite,
  type OutboxUpdateOptions,
  type WithOutbox,
} from './events/outbox.js';
export { OutboxRelay, type OutboxModel, type OutboxRelayOptions } from './events/outbox-relay.js';
export { RecentIds } from './events/recent-ids.js';

export { MongoService, type MongoServiceOptions } from './mongo/mongo.service.js';
export { indexesReady } from './mongo/indexes-ready.js';
export { isDuplicateKey } from './mongo/mongo-errors.js';
export { Clock } from './time/clock.js';
export { AccessTokens, MAX_ACCESS_TTL_SECONDS, type AccessClaims } from './auth/access-tokens.js';
export { AccessTokenSigner } from './auth/access-token-signer.js';
export {
  AccessState,
  type AccessChange,
  type AccessRefusal,
  type AccountState,
  type TokenClaims,
} from './auth/access-state.js';
export {
  ACCESS_VIEW_WINDOW_MS,
  AccessView,
  AccessViewUnavailable,
} from './auth/access-view.service.js';
export { accessPublicKey, accessSigningKey, isKeyPair, keyPemSchema } from './auth/access-keys.js';
export { HealthService, type Readiness } from './health/health.service.js';
export { HealthController } from './health/health.controller.js';

export { PlatformModule, type PlatformModuleOptions } from './platform.module.js';
export { PLATFORM_LOGGER } from './platform.tokens.js';
export {
  bootstrapService,
  type BootstrapOptions,
  type RunningService,
} from './bootstrap/bootstrap-service.js';
export { NatsRpcStrategy } from './bootstrap/nats-rpc.strategy.js';
