import { z } from 'zod';
import { accessSigningKey, isKeyPair, keyPemSchema, mongoEnvSchema } from '@agora/platform';

/** Identity's environment: the platform's variables (MONGO_URL required) plus its own. */
export const identityEnvSchema = mongoEnvSchema
  .extend({
    /**
     * Ed25519 private key (PKCS8 PEM) access tokens are signed with: identity alone is given it; every
     * other process verifies with its public half, AUTH_PUBLIC_KEY.
     */
    AUTH_SIGNING_KEY: keyPemSchema(accessSigningKey),
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
    /**
     * `mail`: an open registration is finished from a link mailed to the address (so `POST
     * /auth/register` never tells whether an address has an account); `none`: a new address is
     * signed in at once. Unset: `mail` when SMTP_URL is set, `none` otherwise (without SMTP no
     * one but the admin can read mail).
     */
    AUTH_SIGNUP_CONFIRM: z.enum(['mail', 'none']).optional(),
    /** `true`: members whose address is not verified may read and manage their account only. */
    AUTH_REQUIRE_VERIFIED_EMAIL: z
      .enum(['true', 'false', '1', '0'])
      .transform((v) => v === 'true' || v === '1')
      .default(false),
    /**
     * Absolute lifetime of a sign-in, days: past it the session ends however often it was refreshed
     * (each refresh token lives 30 days at most, never past this).
     */
    SESSION_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  })
  .superRefine((env, ctx) => {
    // Tokens it signs must verify everywhere: the two keys have to be the halves of one pair.
    // (A key that is not a key at all has its own issue already.)
    let pair: boolean;
    try {
      pair = isKeyPair(env.AUTH_SIGNING_KEY, env.AUTH_PUBLIC_KEY);
    } catch {
      return;
    }
    if (!pair)
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_SIGNING_KEY'],
        message: 'not the private half of AUTH_PUBLIC_KEY',
      });
  });

export type IdentityConfig = z.output<typeof identityEnvSchema>;

/** Nest injection token for the validated config. */
export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');
