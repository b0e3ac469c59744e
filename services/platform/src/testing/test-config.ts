import { randomBytes } from 'node:crypto';
import type { PlatformConfig } from '../config/platform-env.schema.js';

/** A valid platform config for tests: the given NATS (and store), a random port, quiet logs. */
export function platformTestConfig(
  overrides: Partial<PlatformConfig> & { NATS_URL: string },
): PlatformConfig {
  return {
    LOG_LEVEL: 'silent',
    HEALTH_PORT: 0,
    LISTEN_HOST: '127.0.0.1',
    SHUTDOWN_TIMEOUT_MS: 10_000,
    AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    ...overrides,
  };
}
