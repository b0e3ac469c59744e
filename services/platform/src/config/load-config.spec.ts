import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { loadConfig, parseConfig } from './load-config.js';
import { generateKeyPairSync } from 'node:crypto';
import { testAccessKeys } from '../testing/access-keys.js';
import { mongoEnvSchema, platformEnvSchema } from './platform-env.schema.js';

const key = testAccessKeys().publicKey;

describe('parseConfig', () => {
  it('applies defaults and coerces numbers', () => {
    const config = parseConfig(platformEnvSchema, { HEALTH_PORT: '3001', AUTH_PUBLIC_KEY: key });
    expect(config).toEqual({
      NATS_URL: 'nats://127.0.0.1:4222',
      LOG_LEVEL: 'info',
      HEALTH_PORT: 3001,
      LISTEN_HOST: '127.0.0.1',
      SHUTDOWN_TIMEOUT_MS: 10_000,
      JETSTREAM_REPLICAS: 1,
      AUTH_PUBLIC_KEY: key,
    });
  });

  it('names a missing variable', () => {
    const err = catchError(() => parseConfig(platformEnvSchema, { AUTH_PUBLIC_KEY: key }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.variable).toBe('HEALTH_PORT');
    expect(err.message).toBe('config error: HEALTH_PORT: required but not set');
  });

  it('treats an empty value as unset', () => {
    const err = catchError(() =>
      parseConfig(platformEnvSchema, { HEALTH_PORT: '', AUTH_PUBLIC_KEY: key }),
    );
    expect(err.variable).toBe('HEALTH_PORT');
  });

  it('names a bad variable with the reason', () => {
    const err = catchError(() =>
      parseConfig(platformEnvSchema, { HEALTH_PORT: '1', AUTH_PUBLIC_KEY: 'short' }),
    );
    expect(err.message).toBe(
      'config error: AUTH_PUBLIC_KEY: an Ed25519 public key in SPKI PEM ("-----BEGIN PUBLIC KEY-----")',
    );
    const port = catchError(() =>
      parseConfig(platformEnvSchema, { HEALTH_PORT: '99999', AUTH_PUBLIC_KEY: key }),
    );
    expect(port.variable).toBe('HEALTH_PORT');
    const url = catchError(() =>
      parseConfig(platformEnvSchema, {
        HEALTH_PORT: '1',
        AUTH_PUBLIC_KEY: key,
        NATS_URL: 'http://x',
      }),
    );
    expect(url.variable).toBe('NATS_URL');
  });

  it('takes only an Ed25519 public key, also written on one line with \\n escapes', () => {
    const oneLine = key.trim().replace(/\n/g, '\\n');
    expect(
      parseConfig(platformEnvSchema, { HEALTH_PORT: '1', AUTH_PUBLIC_KEY: oneLine }),
    ).toMatchObject({ AUTH_PUBLIC_KEY: oneLine });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    }) as string;
    expect(
      catchError(() => parseConfig(platformEnvSchema, { HEALTH_PORT: '1', AUTH_PUBLIC_KEY: rsa }))
        .message,
    ).toBe('config error: AUTH_PUBLIC_KEY: an Ed25519 public key (this one is rsa)');
    const unset = catchError(() => parseConfig(platformEnvSchema, { HEALTH_PORT: '1' }));
    expect(unset.message).toBe('config error: AUTH_PUBLIC_KEY: required but not set');
  });

  it('requires MONGO_URL for services with a database', () => {
    const err = catchError(() =>
      parseConfig(mongoEnvSchema, { HEALTH_PORT: '1', AUTH_PUBLIC_KEY: key }),
    );
    expect(err.message).toBe('config error: MONGO_URL: required but not set');
  });

  it('reads only the variables of the schema', () => {
    const schema = platformEnvSchema.extend({ SMTP_URL: z.string().optional() });
    const config = parseConfig(schema, { HEALTH_PORT: '1', AUTH_PUBLIC_KEY: key, PATH: '/bin' });
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
      loadConfig(platformEnvSchema, { HEALTH_PORT: 'abc', AUTH_PUBLIC_KEY: key }),
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
