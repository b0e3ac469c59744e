import { z } from 'zod';
import { mongoEnvSchema } from '@agora/platform';

/** The points service's environment: the platform's variables (MONGO_URL required) plus its own. */
export const pointsEnvSchema = mongoEnvSchema.extend({
  /**
   * How often entries a crash left unapplied (ledger written, balance not yet) and charges a crash
   * left half-written are finished. Also done at start and by a rebuild.
   */
  POINTS_REPAIR_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** How long each replica keeps the rules in memory before reading them again. */
  POINTS_RULES_TTL_MS: z.coerce.number().int().min(0).max(600_000).default(2_000),
});

export type PointsConfig = z.output<typeof pointsEnvSchema>;

/** Nest injection token for the validated config. */
export const POINTS_CONFIG = Symbol('POINTS_CONFIG');
