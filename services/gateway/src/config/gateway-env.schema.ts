import { platformEnvSchema } from '@agora/platform';
import { attachmentLimits } from '@agora/proto';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65_535);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const positive = z.coerce.number().positive();

/** The gateway's environment: platform variables plus the edge's own. */
export const gatewayEnvSchema = platformEnvSchema.extend({
  /** One port for /api, /socket.io, /healthz and /readyz (PORT wins over HEALTH_PORT). */
  PORT: port.optional(),
  HEALTH_PORT: port.default(8100),
  /** Unset = CORS closed; set = that one origin may call with credentials. */
  CORS_ORIGIN: z
    .string()
    .regex(/^https?:\/\/[^/\s]+$/, 'an origin like https://agora.example.org (no path)')
    .optional(),
  /** Refresh cookie `Secure` flag; the local launcher sets false for http://localhost. */
  COOKIE_SECURE: bool.default(true),
  /**
   * Whose X-Forwarded-For to believe: `false` (nobody), `true` (loopback only: the launcher's proxy),
   * or an Express trust-proxy list such as `loopback, 10.0.0.0/8`.
   */
  TRUST_PROXY: z.string().default('false'),
  /** Per-IP token bucket: burst size and refill per second (in memory, per gateway replica). */
  RATE_LIMIT_IP_BURST: positive.default(300),
  RATE_LIMIT_IP_PER_SEC: positive.default(10),
  /** Per-member token bucket (signed-in requests), same semantics. */
  RATE_LIMIT_MEMBER_BURST: positive.default(200),
  RATE_LIMIT_MEMBER_PER_SEC: positive.default(5),
  /** Per socket.io connection: messages (pings, joins, typing…) it may send, same semantics. */
  RATE_LIMIT_SOCKET_BURST: positive.default(60),
  RATE_LIMIT_SOCKET_PER_SEC: positive.default(20),
  /** Largest chat attachment read from a request, bytes (chat reads the same variable). */
  CHAT_ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(attachmentLimits.maxBytesCeiling)
    .default(attachmentLimits.defaultMaxBytes),
});

export type GatewayConfig = z.output<typeof gatewayEnvSchema>;

/** The port the gateway listens on. */
export function listenPort(config: GatewayConfig): number {
  return config.PORT ?? config.HEALTH_PORT;
}

/** Express `trust proxy` value for TRUST_PROXY. */
export function trustProxySetting(value: string): boolean | string {
  const v = value.trim().toLowerCase();
  if (v === 'false' || v === '0' || v === '') return false;
  if (v === 'true' || v === '1') return 'loopback';
  return value;
}
