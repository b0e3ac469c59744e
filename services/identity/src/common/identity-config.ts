import { z } from 'zod';
import { mongoEnvSchema } from '@agora/platform';

/** Identity's environment: the platform's variables (MONGO_URL required) plus its own. */
export const identityEnvSchema = mongoEnvSchema.extend({
  /** When set, this address becomes admin when it registers (instead of the first account). */
  ADMIN_EMAIL: z.string().trim().toLowerCase().pipe(z.email('an email address')).optional(),
  /** Origin the web is served from; links in mail point here. */
  PUBLIC_URL: z
    .url('an http(s) URL, e.g. http://localhost:8080')
    .regex(/^https?:\/\//, 'an http(s) URL')
    .transform((u) => u.replace(/\/+$/, ''))
    .default('http://localhost:8080'),
  /** nodemailer transport URL, e.g. smtp://user:pass@mail.example.org:587; unset → dev mailbox. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, 'an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Agora <no-reply@agora.local>'),
});

export type IdentityConfig = z.output<typeof identityEnvSchema>;

/** Nest injection token for the validated config. */
export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');
