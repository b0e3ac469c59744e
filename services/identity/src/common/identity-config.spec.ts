import { ConfigError, parseConfig } from '@agora/platform';
import { testAccessKeys } from '@agora/platform/testing';
import { describe, expect, it } from 'vitest';
import { identityEnvSchema } from './identity-config.js';

const keys = testAccessKeys();
const env = {
  HEALTH_PORT: '0',
  MONGO_URL: 'mongodb://127.0.0.1:27017',
  AUTH_PUBLIC_KEY: keys.publicKey,
  AUTH_SIGNING_KEY: keys.signingKey,
};

function errorOf(values: Record<string, string | undefined>): string {
  try {
    parseConfig(identityEnvSchema, values);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a config error');
}

describe('identity config: the signing key', () => {
  it('takes the private half of AUTH_PUBLIC_KEY', () => {
    expect(parseConfig(identityEnvSchema, env).AUTH_SIGNING_KEY).toBe(keys.signingKey);
  });

  it('stops at start, in one line, without it or with something else', () => {
    expect(errorOf({ ...env, AUTH_SIGNING_KEY: undefined })).toBe(
      'config error: AUTH_SIGNING_KEY: required but not set',
    );
    expect(errorOf({ ...env, AUTH_SIGNING_KEY: keys.publicKey })).toBe(
      'config error: AUTH_SIGNING_KEY: an Ed25519 private key in PKCS8 PEM ("-----BEGIN PRIVATE KEY-----")',
    );
    expect(errorOf({ ...env, AUTH_SIGNING_KEY: testAccessKeys().signingKey })).toBe(
      'config error: AUTH_SIGNING_KEY: not the private half of AUTH_PUBLIC_KEY',
    );
  });
});
