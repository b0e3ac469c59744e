import { z } from 'zod';
import { accessPublicKey, keyPemSchema } from '../auth/access-keys.js';

const port = z.coerce.number().int().min(0).max(65_535);

/** Variables every service reads; a service extends this object with its own. */
export const platformEnvSchema = z.object({
  NATS_URL: z
    .string()
    .regex(/^(nats|tls|ws|wss):\/\/\S+$/, 'a nats:// URL, e.g. nats://127.0.0.1:4222')
    .default('nats://127.0.0.1:4222'),
  /** This process's NATS user and password (the launcher generates one pair per service). */
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().min(1).optional(),
  /** PEM files for TLS to NATS: the CA that signed the server's certificate, and a client certificate. */
  NATS_TLS_CA: z.string().min(1).optional(),
  NATS_TLS_CERT: z.string().min(1).optional(),
  NATS_TLS_KEY: z.string().min(1).optional(),
  /**
   * Copies JetStream keeps of each stream and bucket this process provisions: 1 on one server, 3 on
   * a 3-node cluster (a node can fail without losing or stalling anything).
   */
  JETSTREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  /** Required by services with a database (PlatformModule with `mongo: true`); the launcher sets it. */
  MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'a mongodb:// URL')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** HTTP port serving /healthz and /readyz (the gateway's public port); 0 picks a free one. */
  HEALTH_PORT: port,
  /** Interface that port listens on: loopback unless asked (a container sets 0.0.0.0). */
  LISTEN_HOST: z.string().min(1).default('127.0.0.1'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Ed25519 public key (SPKI PEM) every process verifies access tokens with; identity signs. */
  AUTH_PUBLIC_KEY: keyPemSchema(accessPublicKey),
});

export type PlatformConfig = z.output<typeof platformEnvSchema>;

/** For services with a database: MONGO_URL becomes required. */
export const mongoEnvSchema = platformEnvSchema.extend({
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\/\S+$/, 'a mongodb:// URL'),
});
