import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.js';
import { parseConfig } from '../config/load-config.js';
import { platformEnvSchema } from '../config/platform-env.schema.js';
import { testAccessKeys } from '../testing/access-keys.js';
import { natsConnectionOf } from './nats-connection.js';

const base = { HEALTH_PORT: '0', AUTH_PUBLIC_KEY: testAccessKeys().publicKey };
const settings = (env: Record<string, string>) =>
  natsConnectionOf(parseConfig(platformEnvSchema, { ...base, ...env }));

describe('natsConnectionOf', () => {
  it('connects anonymously in clear when nothing is set', () => {
    expect(settings({})).toEqual({ url: 'nats://127.0.0.1:4222' });
  });

  it('takes the user, its password and the TLS files', () => {
    expect(
      settings({
        NATS_URL: 'tls://nats.example.org:4222',
        NATS_USER: 'gateway',
        NATS_PASSWORD: 'secret',
        NATS_TLS_CA: '/run/secrets/ca.pem',
        NATS_TLS_CERT: '/run/secrets/gateway.pem',
        NATS_TLS_KEY: '/run/secrets/gateway.key',
      }),
    ).toEqual({
      url: 'tls://nats.example.org:4222',
      user: 'gateway',
      pass: 'secret',
      tls: {
        caFile: '/run/secrets/ca.pem',
        certFile: '/run/secrets/gateway.pem',
        keyFile: '/run/secrets/gateway.key',
      },
    });
  });

  it('requires TLS for a tls:// URL even without files (the system CAs then)', () => {
    expect(settings({ NATS_URL: 'tls://nats.example.org:4222' }).tls).toEqual({});
  });

  it('refuses half a pair, naming the missing variable', () => {
    const refused = (env: Record<string, string>) => {
      try {
        settings(env);
      } catch (err) {
        return err instanceof ConfigError ? err.message : String(err);
      }
      return 'accepted';
    };
    expect(refused({ NATS_USER: 'gateway' })).toBe(
      'config error: NATS_PASSWORD: required when NATS_USER is set',
    );
    expect(refused({ NATS_PASSWORD: 'secret' })).toBe(
      'config error: NATS_USER: required when NATS_PASSWORD is set',
    );
    expect(refused({ NATS_TLS_CERT: '/c.pem' })).toBe(
      'config error: NATS_TLS_KEY: NATS_TLS_CERT and NATS_TLS_KEY go together',
    );
  });
});
