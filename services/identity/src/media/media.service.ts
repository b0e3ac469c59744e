import { UploadRepository } from '@agora/platform';
import { Injectable } from '@nestjs/common';
import { buckets, identityEvents, type ImageKind, type PrivateMember } from '@agora/proto';
import { RpcFailure, Clock, pendingEvent } from '@agora/platform';
import { MemberAccess } from '../members/member-access.service.js';
import { MemberRepository } from '../members/member.repository.js';
import { MemberUpdates } from '../members/member-updates.service.js';
import { mediaIdFromUrl, mediaUrl, toPrivateMember } from '../members/member.view.js';
import { ImageRejected, ImageRepository, type RenderedImage } from './image.repository.js';
import { MediaRepository } from './media.repository.js';

/** Output sizes: avatars square, covers a 3:1 banner. */
export const IMAGE_SIZES: Record<ImageKind, { width: number; height: number }> = {
  avatar: { width: 256, height: 256 },
  cover: { width: 1500, height: 500 },
};
export const MAX_UPLOAD_BYTES = buckets.uploads.maxObjectBytes;

@Injectable()
export class MediaService {
  constructor(
    private readonly access: MemberAccess,
    private readonly members: MemberRepository,
    private readonly updates: MemberUpdates,
    private readonly uploads: UploadRepository,
    private readonly images: ImageRepository,
    private readonly media: MediaRepository,
    private readonly clock: Clock,
  ) {}

  /** Turns an upload into the caller's avatar or cover: checked by content, resized, stored, announced. */
  async setImage(actorId: string, kind: ImageKind, uploadId: string): Promise<PrivateMember> {
    await this.access.requireActive(actorId);
    const size = await this.uploads.size(uploadId);
    if (size === null)
      throw new RpcFailure('NOT_FOUND', 'upload not found (uploads expire after an hour)');
    try {
      const rendered = await this.render(uploadId, size, kind);
      const url = mediaUrl(
        await this.media.save(rendered.contentType, rendered.data, this.clock.now()),
      );
      const field = kind === 'avatar' ? 'avatarUrl' : 'coverUrl';
      let previous: string | null = null;
      // An account deleted (or gone) meanwhile must not leave the image it will never show behind.
      const saved = await this.updates
        .apply(actorId, (current) => {
          if (current[field] === url) return null;
          previous = current[field];
          const event =
            kind === 'avatar'
              ? pendingEvent(identityEvents.avatarChanged, actorId, actorId, {
                  memberId: actorId,
                  avatarUrl: url,
                })
              : pendingEvent(identityEvents.coverChanged, actorId, actorId, {
                  memberId: actorId,
                  coverUrl: url,
                });
          return { changes: { [field]: url }, events: [event] };
        })
        .catch(async (err: unknown) => {
          await this.dropIfUnused(url);
          throw err;
        });
      if (previous !== null) await this.dropIfUnused(previous);
      return toPrivateMember(saved);
    } finally {
      await this.uploads.remove(uploadId);
    }
  }

  async get(mediaId: string): Promise<{ contentType: string; base64: string; bytes: number }> {
    const stored = await this.media.get(mediaId);
    if (!stored) throw new RpcFailure('NOT_FOUND', 'no such image');
    return {
      contentType: stored.contentType,
      base64: stored.data.toString('base64'),
      bytes: stored.data.length,
    };
  }

  /** Removes a stored image nobody shows any more (a replaced or erased avatar or cover). */
  async dropIfUnused(url: string): Promise<void> {
    const id = mediaIdFromUrl(url);
    if (id && !(await this.members.isImageReferenced(url))) await this.media.delete(id);
  }

  private async render(uploadId: string, size: number, kind: ImageKind): Promise<RenderedImage> {
    const tooLarge = () =>
      new RpcFailure('PAYLOAD_TOO_LARGE', 'images may be at most 5 MiB', {
        maxBytes: MAX_UPLOAD_BYTES,
      });
    if (size > MAX_UPLOAD_BYTES) throw tooLarge();
    const bytes = await this.uploads.read(uploadId);
    if (!bytes)
      throw new RpcFailure('NOT_FOUND', 'upload not found (uploads expire after an hour)');
    if (bytes.length > MAX_UPLOAD_BYTES) throw tooLarge();
    const { width, height } = IMAGE_SIZES[kind];
    try {
      return await this.images.render(bytes, width, height);
    } catch (err) {
      if (!(err instanceof ImageRejected)) throw err;
      if (err.reason === 'too-many-pixels') {
        throw new RpcFailure('PAYLOAD_TOO_LARGE', err.message, { reason: err.reason });
      }
      throw new RpcFailure('UNSUPPORTED_MEDIA_TYPE', `${err.message}: use JPEG, PNG, WebP or GIF`, {
        accepted: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'],
      });
    }
  }
}
