import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { NatsService } from '@agora/platform';
import { buckets } from '@agora/proto';

/** Hands raw uploads to services through the JetStream object store (bucket `AGORA_UPLOADS`). */
@Injectable()
export class UploadRepository {
  constructor(@Inject(NatsService) private readonly nats: NatsService) {}

  /** Stores the bytes under a fresh random id and returns the id. */
  async put(bytes: Uint8Array, contentType: string): Promise<string> {
    const id = randomBytes(24).toString('base64url'); // 32 chars of [A-Za-z0-9_-]
    const store = await this.nats.objectStore(buckets.uploads.name);
    await store.putBlob({ name: id, description: contentType }, bytes);
    return id;
  }

  /** Removes an upload the service did not take (best effort; the bucket's max age cleans up otherwise). */
  async remove(id: string): Promise<void> {
    const store = await this.nats.objectStore(buckets.uploads.name);
    await store.delete(id);
  }
}
