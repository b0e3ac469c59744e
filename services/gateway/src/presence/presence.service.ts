import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { NatsService, PLATFORM_LOGGER } from '@agora/platform';
import {
  presenceChangeSchema,
  presenceHeartbeatSchema,
  presenceLive,
  presenceTimings,
  rooms,
} from '@agora/proto';
import type { Subscription } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { LiveServer } from '../live/live-socket.js';
import { PresenceKvRepository, type PresenceKey } from './presence-kv.repository.js';

type Change = z.infer<typeof presenceChangeSchema>;
const SPACE_ROOM = /^space:([a-f0-9]{24})$/;

/** What one replica holds: members per space. */
class ReplicaView {
  lastSeen = Date.now();
  readonly spaces = new Map<string, Set<string>>();

  size(): number {
    let n = 0;
    for (const members of this.spaces.values()) n += members.size;
    return n;
  }
}

/**
 * Presence across gateway replicas (proto `chat/presence.ts`). This replica counts its sockets per
 * (space, member) from the socket.io adapter's room joins and leaves; the first socket in and the
 * last one out are announced on `presenceLive.changed` and written to (or deleted from) the KV
 * bucket. Every replica keeps the same picture of all replicas from those announcements, and tells
 * its own sockets in a space's room when a member's online state there flips. Heartbeats rewrite
 * the keys (renewing their age) and carry the replica's count: a replica whose count disagrees with
 * the picture is reloaded from the bucket (an announcement lost in a bus outage), one silent too
 * long is taken as gone and its members go offline.
 */
@Injectable()
export class Presence {
  readonly replicaId = randomBytes(8).toString('hex');
  private readonly local = new Map<string, Map<string, number>>();
  private readonly replicas = new Map<string, ReplicaView>();
  private readonly subscriptions: Subscription[] = [];
  private timer: NodeJS.Timeout | undefined;
  private io: LiveServer | undefined;
  private stopped = false;
  private readonly logger: Logger;

  constructor(
    @Inject(NatsService) private readonly nats: NatsService,
    @Inject(PresenceKvRepository) private readonly kv: PresenceKvRepository,
    @Inject(PLATFORM_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'presence', replicaId: this.replicaId });
  }

  /** Members online in the space, on any replica. */
  online(spaceId: string): string[] {
    const out = new Set<string>();
    for (const view of this.replicas.values())
      for (const memberId of view.spaces.get(spaceId) ?? []) out.add(memberId);
    return [...out].sort();
  }

  async attach(io: LiveServer): Promise<void> {
    this.io = io;
    const adapter = io.of('/').adapter;
    adapter.on('join-room', (room: string, socketId: string) =>
      this.roomChanged(room, socketId, +1),
    );
    adapter.on('leave-room', (room: string, socketId: string) =>
      this.roomChanged(room, socketId, -1),
    );
    const nc = await this.nats.ready();
    if (this.stopped) return;
    this.subscriptions.push(
      nc.subscribe(presenceLive.changed, {
        callback: (err, msg) => {
          if (err) return;
          const change = parse(msg.string(), presenceChangeSchema);
          // Our own announcements were applied when made: not again on their echo.
          if (change && change.replicaId !== this.replicaId) this.apply(change);
        },
      }),
      nc.subscribe(presenceLive.heartbeat, {
        callback: (err, msg) => {
          if (err) return;
          const beat = parse(msg.string(), presenceHeartbeatSchema);
          if (beat) void this.heard(beat.replicaId, beat.entries);
        },
      }),
    );
    // The picture other replicas already built, from the bucket.
    await this.reload(undefined).catch((err: unknown) =>
      this.logger.warn({ err }, 'presence bucket not read at start; heartbeats will fill it in'),
    );
    this.timer = setInterval(() => void this.beat(), presenceTimings.heartbeatMs);
    this.timer.unref();
    void this.beat();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    for (const s of this.subscriptions) s.unsubscribe();
  }

  private memberOf(socketId: string): string | undefined {
    return this.io?.of('/').sockets.get(socketId)?.data.principal?.memberId;
  }

  private roomChanged(room: string, socketId: string, delta: 1 | -1): void {
    const spaceId = SPACE_ROOM.exec(room)?.[1];
    if (!spaceId) return;
    const memberId = this.memberOf(socketId);
    if (!memberId) return;
    const members = this.local.get(spaceId) ?? new Map<string, number>();
    const before = members.get(memberId) ?? 0;
    const after = Math.max(0, before + delta);
    if (after === 0) members.delete(memberId);
    else members.set(memberId, after);
    if (members.size === 0) this.local.delete(spaceId);
    else this.local.set(spaceId, members);
    if ((before === 0) === (after === 0)) return;
    const change: Change = { replicaId: this.replicaId, spaceId, memberId, online: after > 0 };
    // Our own picture first (our sockets hear it at once), then every other replica.
    this.apply(change);
    this.publish(presenceLive.changed, change);
    const key: PresenceKey = { spaceId, memberId, replicaId: this.replicaId };
    const write = change.online ? this.kv.putAll([key]) : this.kv.remove(key);
    write.catch((err: unknown) => this.logger.warn({ err }, 'presence key not written'));
  }

  private apply(change: Change): void {
    const view = this.viewOf(change.replicaId);
    const before = this.isOnline(change.spaceId, change.memberId);
    const members = view.spaces.get(change.spaceId) ?? new Set<string>();
    if (change.online) members.add(change.memberId);
    else members.delete(change.memberId);
    if (members.size === 0) view.spaces.delete(change.spaceId);
    else view.spaces.set(change.spaceId, members);
    this.tellIfFlipped(change.spaceId, change.memberId, before);
  }

  private isOnline(spaceId: string, memberId: string): boolean {
    for (const view of this.replicas.values())
      if (view.spaces.get(spaceId)?.has(memberId)) return true;
    return false;
  }

  private tellIfFlipped(spaceId: string, memberId: string, before: boolean): void {
    const online = this.isOnline(spaceId, memberId);
    if (online === before) return;
    this.io?.to(rooms.space(spaceId)).emit('presence.changed', { spaceId, memberId, online });
  }

  private viewOf(replicaId: string): ReplicaView {
    let view = this.replicas.get(replicaId);
    if (!view) {
      view = new ReplicaView();
      this.replicas.set(replicaId, view);
    }
    return view;
  }

  private async heard(replicaId: string, entries: number): Promise<void> {
    if (replicaId === this.replicaId) return;
    const known = this.replicas.get(replicaId);
    const view = this.viewOf(replicaId);
    view.lastSeen = Date.now();
    if (known && view.size() === entries) return;
    await this.reload(replicaId).catch((err: unknown) =>
      this.logger.warn({ err, of: replicaId }, 'presence of a replica not reloaded'),
    );
  }

  /** Replaces the picture of one replica (or all others) by what the bucket holds. */
  private async reload(replicaId: string | undefined): Promise<void> {
    const keys = await this.kv.list(replicaId);
    const fresh = new Map<string, Map<string, Set<string>>>();
    for (const k of keys) {
      if (k.replicaId === this.replicaId) continue;
      const spaces = fresh.get(k.replicaId) ?? new Map<string, Set<string>>();
      spaces.set(k.spaceId, (spaces.get(k.spaceId) ?? new Set<string>()).add(k.memberId));
      fresh.set(k.replicaId, spaces);
    }
    const targets = replicaId
      ? [replicaId]
      : [...new Set([...fresh.keys(), ...this.replicas.keys()])];
    for (const rid of targets) {
      if (rid === this.replicaId) continue;
      const view = this.viewOf(rid);
      const next = fresh.get(rid) ?? new Map<string, Set<string>>();
      const touched = new Set<string>();
      for (const [spaceId, members] of [...view.spaces, ...next])
        for (const memberId of members) touched.add(`${spaceId}.${memberId}`);
      const before = new Map([...touched].map((t) => [t, this.isOnline(...split(t))]));
      view.spaces.clear();
      for (const [spaceId, members] of next) view.spaces.set(spaceId, new Set(members));
      for (const [t, was] of before) this.tellIfFlipped(...split(t), was);
    }
  }

  /** Rewrites our keys, then tells everyone we live and how many we hold; drops silent replicas. */
  private async beat(): Promise<void> {
    if (this.stopped) return;
    const keys: PresenceKey[] = [];
    for (const [spaceId, members] of this.local)
      for (const memberId of members.keys())
        keys.push({ spaceId, memberId, replicaId: this.replicaId });
    try {
      await this.kv.putAll(keys);
    } catch (err) {
      this.logger.warn({ err }, 'presence keys not rewritten');
    }
    this.publish(presenceLive.heartbeat, { replicaId: this.replicaId, entries: keys.length });
    const silentSince = Date.now() - presenceTimings.replicaSilentMs;
    for (const [rid, view] of this.replicas) {
      if (rid === this.replicaId || view.lastSeen >= silentSince) continue;
      const pairs = [...view.spaces].flatMap(([s, ms]) => [...ms].map((m) => [s, m] as const));
      const before = pairs.map(([s, m]) => this.isOnline(s, m));
      this.replicas.delete(rid);
      pairs.forEach(([s, m], i) => this.tellIfFlipped(s, m, before[i] ?? false));
      this.logger.info(
        { of: rid, members: pairs.length },
        'replica silent: its members are offline',
      );
    }
  }

  private publish(subject: string, payload: unknown): void {
    this.nats.ready(1_000).then(
      (nc) => nc.publish(subject, JSON.stringify(payload)),
      () => undefined,
    );
  }
}

function split(t: string): [string, string] {
  const [s = '', m = ''] = t.split('.');
  return [s, m];
}

function parse<T>(raw: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
