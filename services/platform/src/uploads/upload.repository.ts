import { Injectable } from '@nestjs/common';
import { buckets } from '@agora/proto';
import { NatsService } from '../nats/nats.service.js';

/**
 * Raw uploads the gateway left in the JetStream object store (`AGORA_UPLOADS`), read by every
 * service that takes one (identity's images, chat's attachments).
 */
@Injectable()
export class UploadRepository {
  constructor(private readonly nats: NatsService) {}

  /** Size in bytes, or null when there is no such upload. */
  async size(uploadId: string): Promise<number | null> {
    const store = await this.nats.objectStore(buckets.uploads.name);
    const info = await store.info(uploadId);
    return info && !info.deleted ? info.size : null;
  }

  async read(uploadId: string): Promise<Uint8Array | null> {
    const store = await this.nats.objectStore(buckets.uploads.name);
    return store.getBlob(uploadId);
  }

  /** Uploads are single use; a failed delete is left to the bucket's max age. */
  async remove(uploadId: string): Promise<void> {
    try {
      const store = await this.nats.objectStore(buckets.uploads.name);
      await store.delete(uploadId);
    } catch {
      // the bucket expires objects after an hour anyway
    }
  }
}
