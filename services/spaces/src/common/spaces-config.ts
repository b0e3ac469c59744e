import { z } from 'zod';
import { mongoEnvSchema } from '@agora/platform';

/** Spaces' environment: the platform's variables (MONGO_URL required) plus its own. */
export const spacesEnvSchema = mongoEnvSchema.extend({
  /**
   * How often the closer looks for calls whose deadline passed, to record `call.closed`. A call's
   * status is computed from its deadline on every read, so this only delays the event.
   */
  CALL_CLOSE_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
});

export type SpacesConfig = z.output<typeof spacesEnvSchema>;

/** Nest injection token for the validated config. */
export const SPACES_CONFIG = Symbol('SPACES_CONFIG');
