import { z } from 'zod';
import { memberIdSchema } from '../identity/member.js';
import { spaceIdSchema } from '../spaces/space.js';

/**
 * Presence across gateway replicas (DESIGN "Presence"). A member is online in a space while one of
 * their sockets, on any replica, is in the room `space:<id>`. Each replica writes one key per
 * (space, member, replica) it holds into the KV bucket `presenceBucket` and rewrites them every
 * heartbeat; the bucket's `max_age` removes the keys of a replica that died (nats-server 2.9 has no
 * per-key TTL). Changes go to every replica on `presenceLive.changed`, each telling its own sockets
 * in the space's room; a replica silent for `presenceTimings.replicaSilentMs` is taken as gone and
 * every other replica announces its members offline (unless online elsewhere).
 */
export const presenceBucket = {
  name: 'AGORA_PRESENCE',
  /** Past this a key not rewritten is gone: three heartbeats. */
  maxAgeMs: 30_000,
  storage: 'memory',
} as const;

export const presenceTimings = {
  heartbeatMs: 5_000,
  replicaSilentMs: 15_000,
} as const;

export const presenceLive = {
  /** One change: `presenceChangeSchema`. */
  changed: 'agora.presence.live.changed',
  /** A replica's heartbeat: `presenceHeartbeatSchema`. */
  heartbeat: 'agora.presence.live.heartbeat',
} as const;

/**
 * The NATS subjects the gateway's presence code takes on the bucket, and no more: `Kvm.create` reads
 * the stream's info and creates it when missing (never updates it); put and delete publish on `$KV`;
 * listing keys is an ordered push consumer (created with its filter, its info asked for the pending
 * count, flow-controlled, deleted when done). No key is ever read by value (no MSG.GET, DIRECT.GET).
 */
export const presenceKvSubjects = [
  `$KV.${presenceBucket.name}.>`,
  `$JS.API.STREAM.INFO.KV_${presenceBucket.name}`,
  `$JS.API.STREAM.CREATE.KV_${presenceBucket.name}`,
  `$JS.API.CONSUMER.CREATE.KV_${presenceBucket.name}.>`,
  `$JS.API.CONSUMER.INFO.KV_${presenceBucket.name}.*`,
  `$JS.API.CONSUMER.DELETE.KV_${presenceBucket.name}.*`,
  `$JS.FC.KV_${presenceBucket.name}.>`,
] as const;

export const replicaIdSchema = z.string().regex(/^[a-z0-9]{8,32}$/, 'replica id');

export const presenceChangeSchema = z.strictObject({
  replicaId: replicaIdSchema,
  spaceId: spaceIdSchema,
  memberId: memberIdSchema,
  online: z.boolean(),
});

/** `entries`: how many (space, member) pairs the replica holds, to spot a picture gone stale. */
export const presenceHeartbeatSchema = z.strictObject({
  replicaId: replicaIdSchema,
  entries: z.number().int().min(0),
});

/** To a space's room: a member came online in it or left it. */
export const presenceChangedSchema = z.strictObject({
  spaceId: spaceIdSchema,
  memberId: memberIdSchema,
  online: z.boolean(),
});
export const presenceQuerySchema = z.strictObject({ spaceId: spaceIdSchema });
export const presenceListSchema = z.strictObject({
  spaceId: spaceIdSchema,
  memberIds: z.array(memberIdSchema),
});
export type PresenceList = z.infer<typeof presenceListSchema>;
