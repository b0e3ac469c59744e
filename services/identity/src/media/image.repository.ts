import { Injectable } from '@nestjs/common';
import sharp, { type Metadata } from 'sharp';

/** Formats accepted, recognised from the bytes (never from a name or a declared type). */
export const ACCEPTED_FORMATS = ['jpeg', 'png', 'webp', 'gif'] as const;
/** Decoding more pixels than this is refused (a 10 kB "pixel flood" PNG can claim gigapixels). */
export const MAX_INPUT_PIXELS = 40_000_000;

export type ImageRejection = 'unsupported' | 'too-many-pixels';

export class ImageRejected extends Error {
  constructor(
    readonly reason: ImageRejection,
    message: string,
  ) {
    super(message);
    this.name = 'ImageRejected';
  }
}

export interface RenderedImage {
  data: Buffer;
  contentType: 'image/webp';
  width: number;
  height: number;
}

/** Image decoding and encoding (sharp/libvips). */
@Injectable()
export class ImageRepository {
  /**
   * Checks the content, then crops to `width`×`height`'s proportions, at that size or smaller (an
   * image is never enlarged: a small one stays sharp, at its own size), and encodes WebP (metadata
   * stripped).
   */
  async render(input: Uint8Array, width: number, height: number): Promise<RenderedImage> {
    let meta: Metadata;
    try {
      meta = await sharp(input, { limitInputPixels: false }).metadata();
    } catch {
      throw new ImageRejected('unsupported', 'not an image we can read');
    }
    if (!meta.format || !(ACCEPTED_FORMATS as readonly string[]).includes(meta.format)) {
      throw new ImageRejected(
        'unsupported',
        `unsupported image format${meta.format ? ` "${meta.format}"` : ''}`,
      );
    }
    const pixels = (meta.width ?? 0) * (meta.height ?? 0);
    if (pixels <= 0) throw new ImageRejected('unsupported', 'image has no size');
    if (pixels > MAX_INPUT_PIXELS) {
      throw new ImageRejected(
        'too-many-pixels',
        `image has ${pixels} pixels; at most ${MAX_INPUT_PIXELS}`,
      );
    }
    const box = shrinkOnly(uprightSize(meta), width, height);
    try {
      const { data, info } = await sharp(input, {
        limitInputPixels: MAX_INPUT_PIXELS,
        failOn: 'error',
      })
        .rotate()
        .resize(box.width, box.height, { fit: 'cover', position: 'centre' })
        .webp({ quality: 82 })
        .toBuffer({ resolveWithObject: true });
      return { data, contentType: 'image/webp', width: info.width, height: info.height };
    } catch {
      throw new ImageRejected('unsupported', 'the image is damaged or cannot be decoded');
    }
  }
}

/** The image's size as shown, after its EXIF orientation (5–8 turn it a quarter). */
function uprightSize(meta: Metadata): { width: number; height: number } {
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  return (meta.orientation ?? 1) >= 5 ? { width: h, height: w } : { width: w, height: h };
}

/** The largest box of `width`×`height`'s proportions that the image fills without enlarging. */
export function shrinkOnly(
  image: { width: number; height: number },
  width: number,
  height: number,
): { width: number; height: number } {
  const scale = Math.min(1, image.width / width, image.height / height);
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}
