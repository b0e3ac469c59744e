import { ObjectId } from 'mongodb';
import sharp from 'sharp';
import { ensureBucket } from '@agora/platform';
import {
  attachmentLimits,
  attachmentRpc,
  buckets,
  chatRpc,
  identityEvents,
  type AttachmentView,
} from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  refusal,
  startChatHarness,
  type ChatHarness,
  type TestMember,
} from '../testing/index.js';
import { AttachmentService } from './attachment.service.js';
import { minimalPdf } from './pdf-fixture.js';

let h: ChatHarness;
const MAX_BYTES = 200_000;

beforeAll(async () => {
  h = await startChatHarness({ CHAT_ATTACHMENT_MAX_BYTES: String(MAX_BYTES) });
  // The gateway provisions the uploads bucket; here the spec does, as it would.
  await ensureBucket(h.bus.js, buckets.uploads);
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

let counter = 0;
const cid = () => `a-${(counter += 1)}`;

async function upload(
  who: TestMember,
  channelId: string,
  bytes: Uint8Array,
  name: string,
  declaredType = 'application/octet-stream',
): Promise<AttachmentView> {
  const uploadId = `up${String((counter += 1)).padStart(8, '0')}`;
  const store = await h.bus.objectStore(buckets.uploads.name);
  await store.putBlob({ name: uploadId, description: declaredType }, bytes);
  return h.call(who, attachmentRpc.attachmentUpload, { channelId, uploadId, name, declaredType });
}

/** The whole file as a member downloads it (open, then every chunk). */
async function download(who: TestMember, attachmentId: string): Promise<Buffer> {
  const { chunks } = await h.call(who, attachmentRpc.attachmentOpen, { attachmentId });
  const parts: Buffer[] = [];
  for (let index = 0; index < chunks; index += 1) {
    const { base64 } = await h.call(who, attachmentRpc.attachmentChunk, { attachmentId, index });
    parts.push(Buffer.from(base64, 'base64'));
  }
  return Buffer.concat(parts);
}

async function dm(a: TestMember, ...others: TestMember[]) {
  return h.call(a, chatRpc.dmOpen, { memberIds: others.map((o) => o.id) });
}

const png = (width = 64, height = 48) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .png()
    .toBuffer();

async function uploadsLeft(): Promise<number> {
  const store = await h.bus.objectStore(buckets.uploads.name);
  return (await store.list()).length;
}

describe('attachment types, checked by content', () => {
  it('stores an image re-encoded, without its metadata, and a PDF as sent', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    const withExif = await sharp(await png(3000, 1000))
      .jpeg()
      .withMetadata({ exif: { IFD0: { Copyright: 'secret-exif-marker' } } })
      .toBuffer();
    expect(withExif.includes('secret-exif-marker')).toBe(true);
    const photo = await upload(a, ch.id, withExif, 'holiday.jpeg', 'image/jpeg');
    // scaled to fit the longest side, never up; type and name from the content
    expect(photo).toMatchObject({ name: 'holiday.jpeg', contentType: 'image/jpeg' });
    expect([photo.width, photo.height]).toEqual([attachmentLimits.imageMaxSide, 683]);
    const stored = await download(a, photo.id);
    expect(stored.includes('secret-exif-marker')).toBe(false);
    expect((await sharp(stored).metadata()).exif).toBeUndefined();

    const pdf = minimalPdf();
    const doc = await upload(a, ch.id, pdf, 'minutes.pdf', 'application/pdf');
    expect(doc).toEqual({
      id: doc.id,
      name: 'minutes.pdf',
      contentType: 'application/pdf',
      bytes: pdf.length,
    });
    expect((await download(a, doc.id)).equals(pdf)).toBe(true);
    expect(await uploadsLeft()).toBe(0);
  });

  it('takes a PNG named .pdf and declared a PDF for the PNG it is', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    const att = await upload(a, ch.id, await png(), 'report.pdf', 'application/pdf');
    expect(att).toMatchObject({ name: 'report.png', contentType: 'image/png', width: 64 });
    // a GIF is kept as a still PNG
    const gif = await sharp(await png(10, 10))
      .gif()
      .toBuffer();
    expect(await upload(a, ch.id, gif, 'anim.gif', 'image/gif')).toMatchObject({
      name: 'anim.png',
      contentType: 'image/png',
    });
  });

  it('refuses HTML sent as image/png, SVG, text, and a damaged image or PDF', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    const html = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    const truncated = (await png(200, 200)).subarray(0, 60);
    const pdf = minimalPdf();
    const brokenPdf = pdf.subarray(0, pdf.length - 40); // no startxref, no %%EOF
    for (const [bytes, name, type] of [
      [html, 'cat.png', 'image/png'],
      [svg, 'logo.svg', 'image/svg+xml'],
      [Buffer.from('just words'), 'notes.txt', 'text/plain'],
      [truncated, 'cut.png', 'image/png'],
      [brokenPdf, 'broken.pdf', 'application/pdf'],
    ] as const) {
      const err = await refusal(upload(a, ch.id, bytes, name, type));
      expect(err.code, name).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    expect(await uploadsLeft()).toBe(0);
    expect(
      await h.db.collection('attachments').countDocuments({ uploaderId: new ObjectId(a.id) }),
    ).toBe(0);
  });

  it('defuses polyglots: script after an image is dropped, HTML with a PDF inside is refused', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    const payload = '<html><script>alert("polyglot")</script></html>';
    const trailing = Buffer.concat([await png(), Buffer.from(payload)]);
    const att = await upload(a, ch.id, trailing, 'pic.png', 'image/png');
    expect((await download(a, att.id)).includes('polyglot')).toBe(false);
    const htmlFirst = Buffer.concat([Buffer.from(`${payload}\n`), minimalPdf()]);
    expect((await refusal(upload(a, ch.id, htmlFirst, 'x.pdf', 'application/pdf'))).code).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
    // a PDF carrying markup is still a PDF: served as a download, never rendered as a page
    expect(await upload(a, ch.id, minimalPdf(payload), 'x.pdf', 'application/pdf')).toMatchObject({
      contentType: 'application/pdf',
    });
  });

  it('answers 413 past the configured size and refuses an empty file', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    const big = Buffer.concat([minimalPdf(), Buffer.alloc(MAX_BYTES)]);
    const err = await refusal(upload(a, ch.id, big, 'big.pdf', 'application/pdf'));
    expect(err.code).toBe('PAYLOAD_TOO_LARGE');
    expect(err.message).toMatch(/at most/);
    expect((await refusal(upload(a, ch.id, Buffer.alloc(0), 'empty.png'))).code).toBe(
      'VALIDATION_FAILED',
    );
    expect(await uploadsLeft()).toBe(0);
  });
});

describe('attachments and who may touch them', () => {
  it('refuses an upload to, and a download from, a channel the caller is not in', async () => {
    const [a, b, outsider] = await Promise.all([h.member(), h.member(), h.member()]);
    const ch = await dm(a, b);
    expect((await refusal(upload(outsider, ch.id, await png(), 'x.png'))).code).toBe('FORBIDDEN');
    expect(await uploadsLeft()).toBe(0);
    const att = await upload(a, ch.id, await png(), 'x.png');
    await h.call(a, chatRpc.messageSend, {
      channelId: ch.id,
      body: '',
      clientMessageId: cid(),
      attachmentIds: [att.id],
    });
    const denied = await refusal(
      h.call(outsider, attachmentRpc.attachmentOpen, { attachmentId: att.id }),
    );
    expect(denied.code).toBe('FORBIDDEN');
    const chunk = refusal(
      h.call(outsider, attachmentRpc.attachmentChunk, { attachmentId: att.id, index: 0 }),
    );
    expect((await chunk).code).toBe('FORBIDDEN');
    const unknown = new ObjectId().toHexString();
    expect(
      (await refusal(h.call(a, attachmentRpc.attachmentOpen, { attachmentId: unknown }))).code,
    ).toBe('NOT_FOUND');
    // the other member reads it once sent
    expect((await download(b, att.id)).length).toBe(att.bytes);
  });

  it('shows a draft to its uploader only, and sends it with a message for the channel', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    const att = await upload(a, ch.id, await png(), 'draft.png');
    expect((await download(a, att.id)).length).toBe(att.bytes);
    expect(
      (await refusal(h.call(b, attachmentRpc.attachmentOpen, { attachmentId: att.id }))).code,
    ).toBe('NOT_FOUND');
    const { message } = await h.call(a, chatRpc.messageSend, {
      channelId: ch.id,
      body: 'look',
      clientMessageId: cid(),
      attachmentIds: [att.id],
    });
    expect(message.attachments).toEqual([att]);
    const page = await h.call(b, chatRpc.messageList, { channelId: ch.id, query: { after: 0 } });
    expect(page.messages[0]?.attachments).toEqual([att]);
  });

  it("refuses another channel's attachment, someone else's, an unknown one, and an empty message", async () => {
    const [a, b, c] = await Promise.all([h.member(), h.member(), h.member()]);
    const [ab, ac] = await Promise.all([dm(a, b), dm(a, c)]);
    const elsewhere = await upload(a, ac.id, await png(), 'other.png');
    const theirs = await upload(b, ab.id, await png(), 'theirs.png');
    const sendWith = (ids: string[], body = 'see') =>
      h.call(a, chatRpc.messageSend, {
        channelId: ab.id,
        body,
        clientMessageId: cid(),
        attachmentIds: ids,
      });
    expect((await refusal(sendWith([elsewhere.id]))).code).toBe('FORBIDDEN');
    expect((await refusal(sendWith([theirs.id]))).code).toBe('NOT_FOUND');
    expect((await refusal(sendWith([new ObjectId().toHexString()]))).code).toBe('NOT_FOUND');
    expect((await refusal(sendWith([], ''))).code).toBe('VALIDATION_FAILED');
    expect((await refusal(sendWith([elsewhere.id, elsewhere.id]))).code).toBe('VALIDATION_FAILED');
    // nothing was sent in ab
    const page = await h.call(a, chatRpc.messageList, { channelId: ab.id, query: { after: 0 } });
    expect(page.messages).toEqual([]);
  });
});

describe('duplicates', () => {
  it('stores the same content once, a retry keeps its attachments, another message cannot take them', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    const bytes = await png(30, 30);
    const [one, two] = [
      await upload(a, ch.id, bytes, 'one.png'),
      await upload(a, ch.id, bytes, 'two.png'),
    ];
    expect(one.id).not.toBe(two.id);
    const docs = await h.db
      .collection('attachments')
      .find({ _id: { $in: [new ObjectId(one.id), new ObjectId(two.id)] } })
      .toArray();
    expect(new Set(docs.map((d) => d.blobId as string)).size).toBe(1);
    const blobId = docs[0]?.blobId as string;
    expect(await h.db.collection('attachment_chunks').countDocuments({ blobId })).toBe(1);

    const req = {
      channelId: ch.id,
      body: 'twice',
      clientMessageId: cid(),
      attachmentIds: [one.id],
    };
    const first = await h.call(a, chatRpc.messageSend, req);
    const retry = await h.call(a, chatRpc.messageSend, req);
    expect(retry).toEqual({ created: false, message: first.message });
    const other = await refusal(h.call(a, chatRpc.messageSend, { ...req, clientMessageId: cid() }));
    expect(other.code).toBe('CONFLICT');

    // deleting the message removes its attachment; the shared bytes stay for the other one
    await h.call(a, chatRpc.messageDelete, { channelId: ch.id, messageId: first.message.id });
    expect(
      (await refusal(h.call(a, attachmentRpc.attachmentOpen, { attachmentId: one.id }))).code,
    ).toBe('NOT_FOUND');
    expect(await h.db.collection('attachments').countDocuments({ _id: new ObjectId(one.id) })).toBe(
      0,
    );
    expect((await download(a, two.id)).length).toBe(two.bytes);
    const page = await h.call(b, chatRpc.messageList, { channelId: ch.id, query: { after: 0 } });
    expect(page.messages[0]).toMatchObject({ deleted: true, attachments: [] });
  });
});

async function forumImage(who: TestMember, bytes: Uint8Array, name: string) {
  const uploadId = `fi${String((counter += 1)).padStart(8, '0')}`;
  const store = await h.bus.objectStore(buckets.uploads.name);
  await store.putBlob({ name: uploadId, description: 'image/png' }, bytes);
  return h.call(who, attachmentRpc.forumImageUpload, { uploadId, name, declaredType: 'image/png' });
}

describe('forum images', () => {
  it('are images only, public by content hash, and never open a channel attachment', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const bytes = await png(20, 10);
    const image = await forumImage(a, bytes, 'map.png');
    expect(image).toMatchObject({
      name: 'map.png',
      contentType: 'image/png',
      width: 20,
      height: 10,
    });
    const hash = /[a-f0-9]{64}$/.exec(image.url)?.[0] ?? '';
    const chunk = await h.rpc.call(attachmentRpc.forumImageChunk, { hash, index: 0 });
    expect(chunk).toMatchObject({ contentType: 'image/png', bytes: image.bytes, chunks: 1 });
    expect((await refusal(forumImage(a, minimalPdf(), 'x.pdf'))).code).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
    // the bytes of a channel's attachment are not reachable by their hash
    const ch = await dm(a, b);
    const secret = await upload(a, ch.id, await png(21, 11), 'secret.png');
    const doc = await h.db.collection('attachments').findOne({ _id: new ObjectId(secret.id) });
    const leak = h.rpc.call(attachmentRpc.forumImageChunk, {
      hash: doc?.blobId as string,
      index: 0,
    });
    expect((await refusal(leak)).code).toBe('NOT_FOUND');
  });
});

describe('erasure and drafts', () => {
  it("removes a deleted account's attachments, sent or not, and their bytes", async () => {
    const [gone, stays] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(gone, stays);
    const sent = await upload(gone, ch.id, await png(41, 41), 'sent.png');
    const draft = await upload(gone, ch.id, minimalPdf('draft'), 'draft.pdf');
    const shown = await forumImage(gone, await png(42, 42), 'post.png');
    await h.call(gone, chatRpc.messageSend, {
      channelId: ch.id,
      body: '',
      clientMessageId: cid(),
      attachmentIds: [sent.id],
    });
    const blobs = await h.db
      .collection('attachments')
      .find({ uploaderId: new ObjectId(gone.id) })
      .map((d) => d.blobId as string)
      .toArray();
    expect(blobs).toHaveLength(3);
    await h.spacesEvent(identityEvents.memberDeleted, gone.id, { memberId: gone.id });
    await eventually(async () => {
      expect(
        await h.db.collection('attachments').countDocuments({ uploaderId: new ObjectId(gone.id) }),
      ).toBe(0);
    });
    const page = await h.call(stays, chatRpc.messageList, {
      channelId: ch.id,
      query: { after: 0 },
    });
    expect(page.messages[0]).toMatchObject({ deleted: true, attachments: [] });
    const raw = await h.db.collection('messages').findOne({ channelId: new ObjectId(ch.id) });
    expect(raw?.attachments).toEqual([]);
    // their bytes went too (no other attachment showed them)
    expect(
      await h.db.collection('attachment_chunks').countDocuments({ blobId: { $in: blobs } }),
    ).toBe(0);
    const hash = /[a-f0-9]{64}$/.exec(shown.url)?.[0] ?? '';
    const image = h.rpc.call(attachmentRpc.forumImageChunk, { hash, index: 0 });
    expect((await refusal(image)).code).toBe('NOT_FOUND');
    for (const id of [sent.id, draft.id]) {
      expect(
        (await refusal(h.call(stays, attachmentRpc.attachmentOpen, { attachmentId: id }))).code,
      ).toBe('NOT_FOUND');
    }
  });

  it('sweeps drafts never sent after a day, and links one whose message was written', async () => {
    const [a, b] = await Promise.all([h.member(), h.member()]);
    const ch = await dm(a, b);
    const unsent = await upload(a, ch.id, await png(12, 12), 'unsent.png');
    const posted = await forumImage(a, await png(14, 14), 'posted.png');
    const sent = await upload(a, ch.id, await png(13, 13), 'sent.png');
    const { message } = await h.call(a, chatRpc.messageSend, {
      channelId: ch.id,
      body: 'x',
      clientMessageId: cid(),
      attachmentIds: [sent.id],
    });
    // as if the send crashed between writing the message and linking its attachment
    await h.db
      .collection('attachments')
      .updateOne({ _id: new ObjectId(sent.id) }, { $set: { messageId: null } });
    h.clock.advance(attachmentLimits.draftTtlMs + 60_000);
    const sweeper = h.service.app.get(AttachmentService);
    expect(await sweeper.sweepDrafts()).toBeGreaterThanOrEqual(1);
    expect(
      await h.db.collection('attachments').countDocuments({ _id: new ObjectId(unsent.id) }),
    ).toBe(0);
    // a forum image has no message to wait for: it stays
    const hash = /[a-f0-9]{64}$/.exec(posted.url)?.[0] ?? '';
    expect((await h.rpc.call(attachmentRpc.forumImageChunk, { hash, index: 0 })).chunks).toBe(1);
    const linked = await h.db.collection('attachments').findOne({ _id: new ObjectId(sent.id) });
    expect((linked?.messageId as ObjectId | null | undefined)?.toHexString()).toBe(message.id);
  });
});
