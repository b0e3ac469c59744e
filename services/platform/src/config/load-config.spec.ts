import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { loadConfig, parseConfig } from './load-config.js';
import { mongoEnvSchema, platformEnvSchema } from './platform-env.schema.js';

const secret = 's'.repeat(32);

describe('parseConfig', () => {
  it('applies defaults and coerces numbers', () => {
    const config = parseConfig(platformEnvSchema, { HEALTH_PORT: '3001', AUTH_JWT_SECRET: secret });
    expect(config).toEqual({
      NATS_URL: 'nats://127.0.0.1:4222',
      LOG_LEVEL: 'info',
      HEALTH_PORT: 3001,
      LISTEN_HOST: '127.0.0.1',
      SHUTDOWN_TIMEOUT_MS: 10_000,
      AUTH_JWT_SECRET: secret,
    });
  });

  it('names a missing variable', () => {
    const err = catchError(() => parseConfig(platformEnvSchema, { AUTH_JWT_SECRET: secret }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.variable).toBe('HEALTH_PORT');
    expect(err.message).toBe('config error: HEALTH_PORT: required but not set');
  });

  it('treats an empty value as unset', () => {
    const err = catchError(() =>
      parseConfig(platformEnvSchema, { HEALTH_PORT: '', AUTH_JWT_SECRET: secret }),
    );
    expect(err.variable).toBe('HEALTH_PORT');
  });

  it('names a bad variable with the reason', () => {
    const err = catchError(() =>
      parseConfig(platformEnvSchema, { HEALTH_PORT: '1', AUTH_JWT_SECRET: 'short' }),
    );
    expect(err.message).toBe('config error: AUTH_JWT_SECRET: at least 32 characters');
    const port = catchError(() =>
      parseConfig(platformEnvSchema, { HEALTH_PORT: '99999', AUTH_JWT_SECRET: secret }),
    );
    expect(port.variable).toBe('HEALTH_PORT');
    const url = catchError(() =>
      parseConfig(platformEnvSchema, {
        HEALTH_PORT: '1',
        AUTH_JWT_SECRET: secret,
        NATS_URL: 'http://x',
      }),
    );
    expect(url.variable).toBe('NATS_URL');
  });

  it('requires MONGO_URL for services with a database', () => {
    const err = catchError(() =>
      parseConfig(mongoEnvSchema, { HEALTH_PORT: '1', AUTH_JWT_SECRET: secret }),
    );
    expect(err.message).toBe('config error: MONGO_URL: required but not set');
  });

  it('reads only the variables of the schema', () => {
    const schema = platformEnvSchema.extend({ SMTP_URL: z.string().optional() });
    const config = parseConfig(schema, { HEALTH_PORT: '1', AUTH_JWT_SECRET: secret, PATH: '/bin' });
    expect(config).not.toHaveProperty('PATH');
  });
});

describe('loadConfig', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints one line naming the variable and exits 1', () => {
    const write = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${String(code)}`);
    });
    expect(() =>
      loadConfig(platformEnvSchema, { HEALTH_PORT: 'abc', AUTH_JWT_SECRET: secret }),
    ).toThrow('exit 1');
    expect(exit).toHaveBeenCalledWith(1);
    expect(write).toHaveBeenCalledTimes(1);
    expect(write.mock.calls[0]?.[0]).toMatch(/^config error: HEALTH_PORT: .+\n$/);
  });
});

function catchError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    return err as ConfigError;
  }
  throw new Error('expected an error');
}
