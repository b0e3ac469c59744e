import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JetStreamApiError } from '@nats-io/jetstream';
import { NatsService, RpcFailure } from '@agora/platform';
import { buckets } from '@agora/proto';

/** JetStream's "stream store failed", e.g. the bucket's `maxBytes` is reached. */
const STORE_FAILED = 10077;

/**
 * Hands raw uploads to services through the JetStream object store (bucket `AGORA_UPLOADS`, kept in
 * memory: see proto `buckets.uploads`).
 */
@Injectable()
export class UploadRepository {
  constructor(@Inject(NatsService) private readonly nats: NatsService) {}

  /**
   * Stores the bytes under a fresh random id and returns the id. A full bucket (that many uploads
   * in flight at once) is UNAVAILABLE: the member can try again a moment later.
   */
  async put(bytes: Uint8Array, contentType: string): Promise<string> {
    const id = randomBytes(24).toString('base64url'); // 32 chars of [A-Za-z0-9_-]
    const store = await this.nats.objectStore(buckets.uploads.name);
    try {
      await store.putBlob({ name: id, description: contentType }, bytes);
    } catch (err) {
      if (err instanceof JetStreamApiError && err.code === STORE_FAILED) {
        throw new RpcFailure('UNAVAILABLE', 'too many uploads in progress; try again shortly');
      }
      throw err;
    }
    return id;
  }

  /** Removes an upload the service did not take (best effort; the bucket's max age cleans up otherwise). */
  async remove(id: string): Promise<void> {
    const store = await this.nats.objectStore(buckets.uploads.name);
    await store.delete(id);
  }
}
