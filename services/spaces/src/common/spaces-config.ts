import { z } from 'zod';
import { mongoEnvSchema } from '@agora/platform';

/** Spaces' environment: the platform's variables (MONGO_URL required) plus its own. */
export const spacesEnvSchema = mongoEnvSchema.extend({
  /**
   * How often the closer looks for calls whose deadline passed, to record `call.closed`. A call's
   * status is computed from its deadline on every read, so this only delays the event.
   */
  CALL_CLOSE_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** The origin members reach the hub at: calendar feed URLs and event links start with it. */
  PUBLIC_URL: z
    .url('an http(s) URL, e.g. http://localhost:8080')
    .regex(/^https?:\/\//, 'an http(s) URL')
    .transform((u) => u.replace(/\/+$/, ''))
    .default('http://localhost:8080'),
  /**
   * Key calendar feed tokens are derived with (32+ characters). Unset: a random key kept in spaces'
   * database. Set it in production, so a copy of the database alone opens no member's feed.
   */
  CALENDAR_TOKEN_KEY: z.string().min(32).optional(),
  /**
   * Hosts whose stream URLs a session page embeds (comma-separated; `.example.org` also admits its
   * subdomains); any other stream URL is shown as a link.
   */
  SESSIONS_STREAM_HOSTS: z
    .string()
    .default(
      'www.youtube.com,youtube.com,www.youtube-nocookie.com,youtu.be,player.vimeo.com,vimeo.com,meet.jit.si,framatube.org,tilvids.com',
    ),
});

export type SpacesConfig = z.output<typeof spacesEnvSchema>;

/** Nest injection token for the validated config. */
export const SPACES_CONFIG = Symbol('SPACES_CONFIG');
