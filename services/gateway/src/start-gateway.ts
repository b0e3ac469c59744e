import { bootstrapService, createLogger, type Logger, type RunningService } from '@agora/platform';
import { listenPort, type GatewayConfig } from './config/gateway-env.schema.js';
import { GatewayModule } from './gateway.module.js';
import { configureHttp } from './http/http-pipeline.js';
import { RateLimits } from './rate-limit/rate-limits.js';

export interface StartGatewayOptions {
  config: GatewayConfig;
  logger?: Logger;
  /** Exit on SIGTERM/SIGINT after a graceful shutdown (default true; tests pass false). */
  handleSignals?: boolean;
}

/** Starts the gateway: /api, /socket.io, /healthz and /readyz on one port. */
export async function startGateway(options: StartGatewayOptions): Promise<RunningService> {
  const config: GatewayConfig = { ...options.config, HEALTH_PORT: listenPort(options.config) };
  const logger = options.logger ?? createLogger('gateway', config.LOG_LEVEL);
  const limits = new RateLimits(config);
  return bootstrapService({
    service: 'gateway',
    module: GatewayModule.forRoot(config, logger, limits),
    config,
    logger,
    handleSignals: options.handleSignals ?? true,
    configure: (app) => configureHttp(app, config, limits, logger),
  });
}
