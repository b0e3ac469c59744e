import type { PlatformConfig } from '../config/platform-env.schema.js';
import { testAccessKeys } from './access-keys.js';

/**
 * A valid platform config for tests: the given NATS (and store), a random port, quiet logs, and the
 * public key of a fresh pair (pass `AUTH_PUBLIC_KEY` from `testAccessKeys()` to sign tokens it accepts).
 */
export function platformTestConfig(
  overrides: Partial<PlatformConfig> & { NATS_URL: string },
): PlatformConfig {
  return {
    LOG_LEVEL: 'silent',
    HEALTH_PORT: 0,
    LISTEN_HOST: '127.0.0.1',
    SHUTDOWN_TIMEOUT_MS: 10_000,
    JETSTREAM_REPLICAS: 1,
    AUTH_PUBLIC_KEY: testAccessKeys().publicKey,
    ...overrides,
  };
}
