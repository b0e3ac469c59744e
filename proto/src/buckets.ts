/** JetStream object store buckets. */
export const buckets = {
  /** Raw uploads the gateway hands to a service by name; kept one hour at most. */
  uploads: { name: 'AGORA_UPLOADS', maxAgeMs: 3_600_000, maxObjectBytes: 5 * 1024 * 1024 },
} as const;
