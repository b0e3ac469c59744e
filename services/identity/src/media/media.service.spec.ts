import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { MemberRepository } from '../members/member.repository.js';
import { identityHarness, registration } from '../testing/harness.js';
import { ImageRepository, MAX_INPUT_PIXELS } from './image.repository.js';
import type { MediaRepository } from './media.repository.js';
import { MAX_UPLOAD_BYTES, MediaService } from './media.service.js';
import type { UploadRepository } from '@agora/platform';

/** The object store, in memory. */
class FakeUploads {
  readonly objects = new Map<string, Uint8Array>();
  size(id: string): Promise<number | null> {
    return Promise.resolve(this.objects.get(id)?.length ?? null);
  }
  read(id: string): Promise<Uint8Array | null> {
    return Promise.resolve(this.objects.get(id) ?? null);
  }
  remove(id: string): Promise<void> {
    this.objects.delete(id);
    return Promise.resolve();
  }
}

class FakeMediaStore {
  readonly docs = new Map<string, { contentType: string; data: Buffer }>();
  save(contentType: string, data: Buffer): Promise<string> {
    const id = createHash('sha256').update(data).digest('hex');
    this.docs.set(id, { contentType, data });
    return Promise.resolve(id);
  }
  get(id: string) {
    const d = this.docs.get(id);
    return Promise.resolve(d ? { id, ...d } : null);
  }
  delete(id: string): Promise<void> {
    this.docs.delete(id);
    return Promise.resolve();
  }
}

/** Rewrites a PNG's IHDR size (and its CRC) without touching the pixel data. */
function pixelFlood(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

async function setup() {
  const h = identityHarness();
  const uploads = new FakeUploads();
  const store = new FakeMediaStore();
  // sharp is the real thing: decoding and encoding are what is under test here
  const media = new MediaService(
    h.sut.access,
    h.fakes.members as unknown as MemberRepository,
    h.sut.updates,
    uploads as unknown as UploadRepository,
    new ImageRepository(),
    store as unknown as MediaRepository,
    h.fakes.clock,
  );
  const { user } = await h.sut.auth.register(registration());
  return { ...h, uploads, store, media, user };
}

const image = (
  format: 'png' | 'jpeg' | 'gif' | 'webp' | 'tiff',
  width = 640,
  height = 480,
  r = 200,
) =>
  sharp({ create: { width, height, channels: 3, background: { r, g: 80, b: 40 } } })
    .toFormat(format)
    .toBuffer();

describe('MediaService.setImage', () => {
  it.each(['png', 'jpeg', 'gif', 'webp'] as const)(
    'accepts %s and stores a resized WebP',
    async (format) => {
      const { media, uploads, store, user, fakes } = await setup();
      uploads.objects.set('up1', await image(format));
      const me = await media.setImage(user.id, 'avatar', 'up1');
      const id = me.avatarUrl?.split('/').pop() ?? '';
      const stored = store.docs.get(id);
      expect(stored?.contentType).toBe('image/webp');
      expect(await sharp(stored?.data).metadata()).toMatchObject({
        format: 'webp',
        width: 256,
        height: 256,
      });
      expect(uploads.objects.has('up1')).toBe(false);
      expect(fakes.events.ofType('identity.avatar.changed').map((e) => e.data)).toEqual([
        { memberId: user.id, avatarUrl: me.avatarUrl },
      ]);
    },
  );

  it('crops covers to 3:1 at 1500×500 at most, never enlarging a smaller image', async () => {
    const { media, uploads, store, user } = await setup();
    const stored = async (w: number, h: number) => {
      uploads.objects.set('c', await image('png', w, h));
      const me = await media.setImage(user.id, 'cover', 'c');
      const doc = store.docs.get(me.coverUrl?.split('/').pop() ?? '');
      const { width, height } = await sharp(doc?.data).metadata();
      return { width, height };
    };
    expect(await stored(3000, 2000)).toEqual({ width: 1500, height: 500 });
    expect(await stored(1200, 400)).toEqual({ width: 1200, height: 400 });
    expect(await stored(800, 800)).toEqual({ width: 800, height: 267 });
  });

  it('refuses what is not a JPEG, PNG, WebP or GIF by its content, and changes nothing', async () => {
    const { media, uploads, user, fakes } = await setup();
    uploads.objects.set('txt', new TextEncoder().encode('hello, I am avatar.png'));
    uploads.objects.set('tiff', await image('tiff'));
    for (const id of ['txt', 'tiff']) {
      await expect(media.setImage(user.id, 'avatar', id)).rejects.toMatchObject({
        code: 'UNSUPPORTED_MEDIA_TYPE',
      });
      expect(uploads.objects.has(id)).toBe(false);
    }
    expect(fakes.members.docs.get(user.id)?.avatarUrl).toBeNull();
    expect(fakes.events.ofType('identity.avatar.changed')).toHaveLength(0);
  });

  it('refuses more than 5 MiB and absurd pixel counts', async () => {
    const { media, uploads, user } = await setup();
    uploads.objects.set('big', new Uint8Array(MAX_UPLOAD_BYTES + 1));
    await expect(media.setImage(user.id, 'avatar', 'big')).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    // a tiny PNG whose header claims 20 000 × 20 000 pixels ("pixel flood"): refused before decoding
    const flood = pixelFlood(await image('png', 8, 8), 20_000, 20_000);
    expect(flood.length).toBeLessThan(1_000);
    expect(20_000 * 20_000).toBeGreaterThan(MAX_INPUT_PIXELS);
    uploads.objects.set('flood', flood);
    await expect(media.setImage(user.id, 'avatar', 'flood')).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      body: { details: { reason: 'too-many-pixels' } },
    });
  });

  it('says NOT_FOUND for a missing upload, and drops the old image when replaced', async () => {
    const { media, uploads, store, user } = await setup();
    await expect(media.setImage(user.id, 'avatar', 'nothing')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    uploads.objects.set('a', await image('png', 300, 300, 10));
    const first = await media.setImage(user.id, 'avatar', 'a');
    uploads.objects.set('b', await image('png', 300, 300, 250));
    const second = await media.setImage(user.id, 'avatar', 'b');
    expect(second.avatarUrl).not.toBe(first.avatarUrl);
    expect(store.docs.has(first.avatarUrl?.split('/').pop() ?? '')).toBe(false);
    expect(store.docs.size).toBe(1);
  });

  it('keeps no image for an account erased while it was being processed', async () => {
    const { media, uploads, store, user, fakes } = await setup();
    uploads.objects.set('late', await image('png', 300, 300, 90));
    // the account is deleted once the image is stored, before it is set
    const save = store.save.bind(store);
    store.save = async (contentType, data) => {
      const id = await save(contentType, data);
      const member = fakes.members.docs.get(user.id);
      if (member) member.status = 'deleted';
      return id;
    };
    await expect(media.setImage(user.id, 'avatar', 'late')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(store.docs.size).toBe(0);
    expect(uploads.objects.has('late')).toBe(false);
  });
});
