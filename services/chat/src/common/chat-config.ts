import { z } from 'zod';
import { mongoEnvSchema } from '@agora/platform';
import { attachmentLimits } from '@agora/proto';

/** Chat's environment: the platform's variables (MONGO_URL required) plus its own. */
export const chatEnvSchema = mongoEnvSchema.extend({
  /** Messages one member may send in a burst, over every channel (token bucket, per replica). */
  CHAT_SEND_BURST: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Messages per second that budget refills with. */
  CHAT_SEND_PER_SEC: z.coerce.number().min(0.01).max(1_000).default(2),
  /**
   * How long a reserved sequence number may stay without its message before the repairer fills it
   * with an empty placeholder (a sender that crashed between reserving and inserting).
   */
  CHAT_SEQ_REPAIR_AFTER_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** How long before a session or workshop starts its members are reminded. */
  CHAT_REMINDER_LEAD_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 86_400_000)
    .default(1_800_000),
  /** How often due reminders are looked for. */
  CHAT_REMINDER_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** Hour of the day (UTC) from which the day's notification digests go out. */
  CHAT_DIGEST_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(7),
  /** How often the digest sweep runs (each member still gets at most one a day). */
  CHAT_DIGEST_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(600_000),
  /** Largest attachment a member may upload, bytes (the gateway reads the same variable). */
  CHAT_ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(attachmentLimits.maxBytesCeiling)
    .default(attachmentLimits.defaultMaxBytes),
  /** How often attachments uploaded and never sent (after a day) are looked for. */
  CHAT_ATTACHMENT_SWEEP_MS: z.coerce.number().int().min(100).max(86_400_000).default(600_000),
});

export type ChatConfig = z.output<typeof chatEnvSchema>;

/** Nest injection token for the validated config. */
export const CHAT_CONFIG = Symbol('CHAT_CONFIG');
