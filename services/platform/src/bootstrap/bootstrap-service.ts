import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { ConfigError } from '../config/config-error.js';
import { exitOnConfigError } from '../config/load-config.js';
import type { PlatformConfig } from '../config/platform-env.schema.js';
import { HealthService } from '../health/health.service.js';
import { NestPinoLogger } from '../logging/nest-logger.js';
import { errorText, NatsService } from '../nats/nats.service.js';
import { InflightTracker } from '../rpc/inflight-tracker.js';
import { NatsRpcStrategy } from './nats-rpc.strategy.js';

export interface BootstrapOptions {
  service: string;
  /** The service's root module; it imports `PlatformModule.forRoot(...)`. */
  module: unknown;
  config: PlatformConfig;
  logger: Logger;
  /** Install SIGTERM/SIGINT handlers that shut down and exit (default true; tests pass false). */
  handleSignals?: boolean;
  /** Called with the app before it listens: gateway middleware, global prefix, etc. */
  configure?: (app: NestExpressApplication) => void | Promise<void>;
}

export interface RunningService {
  app: NestExpressApplication;
  /** The port /healthz and /readyz answer on (HEALTH_PORT, or the one picked for 0). */
  port: number;
  /** Resolves once the RPC server is subscribed (NATS reachable); never rejects. */
  rpcReady: Promise<void>;
  /** Graceful shutdown: stop accepting, finish in-flight work, drain NATS, close the store. */
  shutdown(): Promise<void>;
}

/**
 * Starts a service: HTTP (health, readiness, the gateway's routes) on HEALTH_PORT at once, the NATS RPC
 * server as soon as NATS answers (retrying with backoff meanwhile), graceful shutdown on signals.
 */
export async function bootstrapService(options: BootstrapOptions): Promise<RunningService> {
  const { service, config, logger } = options;
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(options.module as never, {
      logger: new NestPinoLogger(logger),
      abortOnError: false,
      forceCloseConnections: true,
    });
  } catch (err) {
    if (err instanceof ConfigError) exitOnConfigError(err);
    throw err;
  }

  const nats = app.get(NatsService);
  const inflight = app.get(InflightTracker);
  const health = app.get(HealthService);
  const strategy = new NatsRpcStrategy(nats, service);
  // Nest's supported hybrid start: handlers are bound now and the shared module graph's init hooks
  // run once, for the app. Each handler carries its own filter and interceptor (@Rpc), so the
  // microservice needs no global enhancers; the strategy refuses handlers bound any other way.
  try {
    app.connectMicroservice({ strategy });
  } catch (err) {
    await app.close();
    throw err;
  }

  await options.configure?.(app);
  await app.listen(config.HEALTH_PORT, config.LISTEN_HOST);
  const port = (app.getHttpServer().address() as AddressInfo).port;
  logger.info({ port }, `${service} listening (healthz, readyz)`);

  // Waits for NATS in the background: /readyz stays false (with the reason) until it connects.
  const rpcReady = app.startAllMicroservices().then(
    () => logger.info(`${service} answering RPCs (queue ${service})`),
    (err: unknown) => logger.error({ err: errorText(err) }, 'RPC server failed to start'),
  );

  let closing: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    closing ??= (async () => {
      logger.info('shutting down');
      health.markShuttingDown();
      await strategy.stopAccepting();
      // Let handlers of messages that arrived during the drain enter the in-flight count.
      await new Promise((resolve) => setImmediate(resolve));
      await inflight.idle();
      await app.close();
      logger.info('shut down');
    })();
    return closing;
  };

  if (options.handleSignals !== false) {
    const onSignal = (signal: NodeJS.Signals): void => {
      logger.info({ signal }, 'signal received');
      const timer = setTimeout(() => {
        logger.error(`shutdown took longer than ${config.SHUTDOWN_TIMEOUT_MS} ms; exiting`);
        process.exit(1);
      }, config.SHUTDOWN_TIMEOUT_MS);
      timer.unref();
      shutdown().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err: errorText(err) }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }

  return { app, port, rpcReady, shutdown };
}
