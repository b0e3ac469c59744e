import { Injectable } from '@nestjs/common';
import sharp, { type Metadata } from 'sharp';
import { attachmentLimits } from '@agora/proto';
import type { SniffedType } from './content-check.js';

/** Decoding more pixels than this is refused (a 10 kB "pixel flood" PNG can claim gigapixels). */
export const MAX_INPUT_PIXELS = 40_000_000;

export class ImageRejected extends Error {
  constructor(
    readonly reason: 'unsupported' | 'too-many-pixels',
    message: string,
  ) {
    super(message);
    this.name = 'ImageRejected';
  }
}

export interface RenderedImage {
  data: Buffer;
  width: number;
  height: number;
}

/** Image decoding and encoding (sharp/libvips, as identity's avatars). */
@Injectable()
export class AttachmentImageRepository {
  /**
   * Decodes the image its magic bytes named, turns it upright, scales it to fit
   * `attachmentLimits.imageMaxSide` (never up) and encodes it again in its own format (a GIF as a
   * still PNG): EXIF, GPS and every other metadata, and whatever trailed the image data, are gone.
   */
  async render(input: Uint8Array, format: Exclude<SniffedType, 'pdf'>): Promise<RenderedImage> {
    let meta: Metadata;
    try {
      meta = await sharp(input, { limitInputPixels: false }).metadata();
    } catch {
      throw new ImageRejected('unsupported', 'not an image we can read');
    }
    if (meta.format !== format)
      throw new ImageRejected('unsupported', 'the image is not what its header says');
    const pixels = (meta.width ?? 0) * (meta.height ?? 0);
    if (pixels <= 0) throw new ImageRejected('unsupported', 'the image has no size');
    if (pixels > MAX_INPUT_PIXELS)
      throw new ImageRejected(
        'too-many-pixels',
        `the image has ${pixels} pixels; at most ${MAX_INPUT_PIXELS}`,
      );
    const side = attachmentLimits.imageMaxSide;
    try {
      const pipeline = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
        .rotate()
        .resize(side, side, { fit: 'inside', withoutEnlargement: true });
      const encoded =
        format === 'jpeg'
          ? pipeline.jpeg({ quality: 85, mozjpeg: true })
          : format === 'webp'
            ? pipeline.webp({ quality: 85 })
            : pipeline.png({ compressionLevel: 9 });
      const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height };
    } catch {
      throw new ImageRejected('unsupported', 'the image is damaged or cannot be decoded');
    }
  }
}
