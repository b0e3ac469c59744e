import { Inject, Injectable } from '@nestjs/common';
import { NatsService } from '@agora/platform';
import { presenceBucket } from '@agora/proto';
import { StorageType } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';

export interface PresenceKey {
  spaceId: string;
  memberId: string;
  replicaId: string;
}

const keyOf = (k: PresenceKey) => `${k.spaceId}.${k.memberId}.${k.replicaId}`;

function parseKey(key: string): PresenceKey | undefined {
  const [spaceId, memberId, replicaId, extra] = key.split('.');
  if (!spaceId || !memberId || !replicaId || extra !== undefined) return undefined;
  return { spaceId, memberId, replicaId };
}

/**
 * The presence bucket: one key `<spaceId>.<memberId>.<replicaId>` per member a replica holds in a
 * space's room. Memory storage (presence is rebuilt within a heartbeat after a server restart) and
 * `max_age`: a key its replica stopped rewriting disappears (nats-server 2.9 has no per-key TTL).
 */
@Injectable()
export class PresenceKvRepository {
  private bucket: Promise<KV> | undefined;

  constructor(@Inject(NatsService) private readonly nats: NatsService) {}

  private kv(): Promise<KV> {
    this.bucket ??= this.nats.ready().then(() =>
      new Kvm(this.nats.js).create(presenceBucket.name, {
        history: 1,
        ttl: presenceBucket.maxAgeMs,
        storage: StorageType.Memory,
      }),
    );
    // A failure (the server restarting) is retried by the next call.
    this.bucket.catch(() => (this.bucket = undefined));
    return this.bucket;
  }

  /** Writes (or rewrites, renewing its age) every key; a bucket lost with its server is made again. */
  async putAll(keys: readonly PresenceKey[]): Promise<void> {
    if (keys.length === 0) return;
    try {
      await this.putEach(await this.kv(), keys);
    } catch {
      this.bucket = undefined;
      await this.putEach(await this.kv(), keys);
    }
  }

  private async putEach(kv: KV, keys: readonly PresenceKey[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 256)
      await Promise.all(keys.slice(i, i + 256).map((k) => kv.put(keyOf(k), '')));
  }

  async remove(key: PresenceKey): Promise<void> {
    await (await this.kv()).delete(keyOf(key));
  }

  /** Every live key, or only those of one replica. */
  async list(replicaId?: string): Promise<PresenceKey[]> {
    const kv = await this.kv();
    const iter = await kv.keys(replicaId ? `*.*.${replicaId}` : undefined);
    const out: PresenceKey[] = [];
    for await (const key of iter) {
      const parsed = parseKey(key);
      if (parsed) out.push(parsed);
    }
    return out;
  }
}
