// Invitations through the outbox and the durable mailer (exactly one dev-mailbox mail per
// invitation, even when the event comes again), registration through the mailed link, images
// handed over in the JetStream object store, and account deletion.
import { randomBytes } from 'node:crypto';
import { EventPublisher, RpcCallError, createLogger } from '@agora/platform';
import { buckets, consumers, identityEvents, identityRpc, type Session } from '@agora/proto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  client,
  eventually,
  identityStream,
  newMember,
  PASSWORD,
  startIdentity,
  type IdentityFixture,
} from './identity-fixture.js';

let fx: IdentityFixture;
let admin: Session;

beforeAll(async () => {
  fx = await startIdentity('identity_mail_media');
  admin = await fx.rpc.call(identityRpc.register, newMember());
});

afterAll(async () => {
  await fx?.stop();
});

const page = { offset: 0, limit: 100 };

async function mailsTo(email: string) {
  const box = await fx.rpc.call(
    identityRpc.mailboxList,
    { page },
    { actorToken: admin.accessToken },
  );
  return box.items.filter((m) => m.to === email);
}

describe('invitations and the mailer', () => {
  it('mails one invitation once, through the dev mailbox, even when the event is delivered again', async () => {
    const inviter = await fx.rpc.call(
      identityRpc.register,
      newMember({ displayName: 'Sofia Marques', preferredLanguage: 'pt' }),
    );
    const invitation = await fx.rpc.call(
      identityRpc.invitationCreate,
      {
        email: 'Invitee@Example.org',
        message: 'Join our Lisbon workshop <3',
      },
      { actorToken: inviter.accessToken },
    );
    expect(invitation).toMatchObject({ email: 'invitee@example.org', status: 'sent' });

    const [mail] = await eventually(async () => {
      const found = await mailsTo('invitee@example.org');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(mail).toMatchObject({
      transport: 'dev-mailbox',
      status: 'sent',
      subject: 'Sofia Marques convida-te para a Agora',
    });
    expect(mail?.text).toContain('Join our Lisbon workshop <3');
    expect(mail?.html).toContain('Join our Lisbon workshop &lt;3');
    const token = /register\?invite=([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
    expect(token).toHaveLength(43);

    // The raw token left identity's database once the mail was recorded; only its hash stays.
    const stored = await eventually(async () => {
      const doc = await fx.db.collection('invitations').findOne({ email: 'invitee@example.org' });
      expect(doc?.pendingToken ?? null).toBeNull();
      return doc;
    });
    expect(stored?.tokenHash).toMatch(/^[a-f0-9]{64}$/);
    // The bus carried ids only.
    const sent = (await identityStream(fx.bus)).filter(
      (e) => e.type === identityEvents.invitationSent.type,
    );
    expect(sent.map((e) => e.data)).toEqual([
      { invitationId: invitation.id, inviterId: inviter.user.id },
    ]);
    expect(JSON.stringify(sent)).not.toContain('invitee@example.org');

    // The same event delivered again (a new envelope id, so JetStream does not drop it): still one mail.
    const publisher = new EventPublisher(fx.bus, createLogger('test', 'silent'));
    await publisher.publish(identityEvents.invitationSent, {
      actor: inviter.user.id,
      subject: invitation.id,
      data: { invitationId: invitation.id, inviterId: inviter.user.id },
    });
    await publisher.publish(identityEvents.invitationSent, {
      actor: inviter.user.id,
      subject: invitation.id,
      data: { invitationId: invitation.id, inviterId: inviter.user.id },
    });
    // wait until the durable consumer has acknowledged everything, then count again
    await eventually(async () => {
      const info = await fx.bus.jsm.consumers.info('AGORA_IDENTITY', 'identity-mailer');
      expect(info.num_pending + info.num_ack_pending).toBe(0);
      expect(info.delivered.stream_seq).toBeGreaterThanOrEqual(
        (await fx.bus.jsm.streams.info('AGORA_IDENTITY')).state.last_seq - 1,
      );
    });
    expect(await mailsTo('invitee@example.org')).toHaveLength(1);
    expect(
      await fx.db.collection('mails').countDocuments({ key: `invitation:${invitation.id}` }),
    ).toBe(1);

    // The link shows who invited, and registering with it links the two accounts.
    await expect(fx.rpc.call(identityRpc.invitationLookup, { token })).resolves.toEqual({
      inviterName: 'Sofia Marques',
      email: 'invitee@example.org',
      message: 'Join our Lisbon workshop <3',
    });
    const invitee = await fx.rpc.call(
      identityRpc.register,
      newMember({ email: 'invitee@example.org', invitationToken: token }),
    );
    const doc = await fx.db.collection('members').findOne({ email: 'invitee@example.org' });
    expect(String(doc?.invitedBy)).toBe(inviter.user.id);
    const list = await fx.rpc.call(
      identityRpc.invitationList,
      {},
      { actorToken: inviter.accessToken },
    );
    expect(list[0]).toMatchObject({ id: invitation.id, status: 'accepted' });
    await eventually(async () => {
      const accepted = (await identityStream(fx.bus)).filter(
        (e) => e.type === identityEvents.invitationAccepted.type,
      );
      expect(accepted.map((e) => e.data)).toEqual([
        { invitationId: invitation.id, inviterId: inviter.user.id, memberId: invitee.user.id },
      ]);
    });
    await expect(fx.rpc.call(identityRpc.invitationLookup, { token })).rejects.toMatchObject({
      body: { code: 'NOT_FOUND' },
    });
  });

  it('survives a restart: pending mail goes out once, old events still do not mail twice', async () => {
    const inviter = await fx.rpc.call(identityRpc.register, newMember());
    const first = await fx.rpc.call(
      identityRpc.invitationCreate,
      {
        email: 'before-restart@example.org',
        message: '',
      },
      { actorToken: inviter.accessToken },
    );
    await eventually(async () =>
      expect(await mailsTo('before-restart@example.org')).toHaveLength(1),
    );
    // written just before the process stops: its event may still sit in the outbox
    const second = await fx.rpc.call(
      identityRpc.invitationCreate,
      {
        email: 'during-restart@example.org',
        message: '',
      },
      { actorToken: inviter.accessToken },
    );
    await fx.restart();
    const publisher = new EventPublisher(fx.bus, createLogger('test', 'silent'));
    await publisher.publish(identityEvents.invitationSent, {
      actor: inviter.user.id,
      subject: first.id,
      data: { invitationId: first.id, inviterId: inviter.user.id },
    });
    // An event the old process had pulled but not started was handed back when it stopped, so
    // the new one mails well within the consumer's ack wait.
    await eventually(async () => {
      expect(await mailsTo('during-restart@example.org')).toHaveLength(1);
      const info = await fx.bus.jsm.consumers.info('AGORA_IDENTITY', 'identity-mailer');
      expect(info.num_pending + info.num_ack_pending).toBe(0);
    }, consumers.identityMailer.ackWaitMs / 2);
    expect(await mailsTo('before-restart@example.org')).toHaveLength(1);
    expect(await fx.db.collection('mails').countDocuments({ key: `invitation:${second.id}` })).toBe(
      1,
    );
  }, 30_000);

  it('keeps invitation mail away from members: the mailbox is admin-only', async () => {
    const m = await fx.rpc.call(identityRpc.register, newMember());
    await expect(
      fx.rpc.call(identityRpc.mailboxList, { page }, { actorToken: m.accessToken }),
    ).rejects.toMatchObject({
      body: { code: 'FORBIDDEN' },
    });
  });
});

async function upload(bytes: Uint8Array): Promise<string> {
  const uploadId = randomBytes(12).toString('hex');
  const store = await fx.bus.objectStore(buckets.uploads.name);
  await store.putBlob({ name: uploadId }, bytes);
  return uploadId;
}

async function uploadExists(uploadId: string): Promise<boolean> {
  const store = await fx.bus.objectStore(buckets.uploads.name);
  const info = await store.info(uploadId);
  return info !== null && !info.deleted;
}

async function failureOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RpcCallError) return err.body;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('images', () => {
  it('turns an uploaded PNG into a 256×256 WebP avatar stored in identity, served by id', async () => {
    const m = await fx.rpc.call(identityRpc.register, newMember());
    const png = await sharp({
      create: { width: 900, height: 600, channels: 3, background: { r: 20, g: 120, b: 200 } },
    })
      .png()
      .toBuffer();
    const uploadId = await upload(png);
    const me = await fx.rpc.call(
      identityRpc.meImageSet,
      {
        kind: 'avatar',
        uploadId,
      },
      { actorToken: m.accessToken },
    );
    expect(me.avatarUrl).toMatch(/^\/api\/media\/[a-f0-9]{64}$/);
    expect(me.completeness.missing).not.toContain('avatar');
    expect(await uploadExists(uploadId)).toBe(false);

    const mediaId = me.avatarUrl?.split('/').pop() ?? '';
    const media = await fx.rpc.call(identityRpc.mediaGet, { mediaId });
    expect(media.contentType).toBe('image/webp');
    const meta = await sharp(Buffer.from(media.base64, 'base64')).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 256, height: 256 });
    expect(media.bytes).toBe(Buffer.from(media.base64, 'base64').length);

    const cover = await fx.rpc.call(
      identityRpc.meImageSet,
      {
        kind: 'cover',
        uploadId: await upload(png),
      },
      { actorToken: m.accessToken },
    );
    const coverMedia = await fx.rpc.call(identityRpc.mediaGet, {
      mediaId: cover.coverUrl?.split('/').pop() ?? '',
    });
    // 900×600 is cropped to 3:1 at its own width, never enlarged to 1500×500.
    expect(await sharp(Buffer.from(coverMedia.base64, 'base64')).metadata()).toMatchObject({
      width: 900,
      height: 300,
    });

    await eventually(async () => {
      const types = (await identityStream(fx.bus))
        .filter((e) => (e.data as { memberId?: string }).memberId === m.user.id)
        .map((e) => e.type);
      expect(types).toContain(identityEvents.avatarChanged.type);
      expect(types).toContain(identityEvents.coverChanged.type);
    });
  });

  it('checks the type by content: a text file named .png is refused and changes nothing', async () => {
    const m = await fx.rpc.call(identityRpc.register, newMember());
    const uploadId = await upload(
      new TextEncoder().encode('just some text pretending to be avatar.png\n'),
    );
    const err = await failureOf(
      fx.rpc.call(
        identityRpc.meImageSet,
        { kind: 'avatar', uploadId },
        { actorToken: m.accessToken },
      ),
    );
    expect(err.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const svg = await upload(
      new TextEncoder().encode(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
      ),
    );
    expect(
      (
        await failureOf(
          fx.rpc.call(
            identityRpc.meImageSet,
            {
              kind: 'avatar',
              uploadId: svg,
            },
            { actorToken: m.accessToken },
          ),
        )
      ).code,
    ).toBe('UNSUPPORTED_MEDIA_TYPE');
    const me = await fx.rpc.call(identityRpc.meGet, {}, { actorToken: m.accessToken });
    expect(me.avatarUrl).toBeNull();
    expect(await uploadExists(uploadId)).toBe(false);
  });

  it('refuses uploads over 5 MiB and missing uploads', async () => {
    const m = await fx.rpc.call(identityRpc.register, newMember());
    const big = await upload(new Uint8Array(5 * 1024 * 1024 + 1));
    expect(
      (
        await failureOf(
          fx.rpc.call(
            identityRpc.meImageSet,
            { kind: 'cover', uploadId: big },
            { actorToken: m.accessToken },
          ),
        )
      ).code,
    ).toBe('PAYLOAD_TOO_LARGE');
    expect(
      (
        await failureOf(
          fx.rpc.call(
            identityRpc.meImageSet,
            {
              kind: 'cover',
              uploadId: 'no-such-upload',
            },
            { actorToken: m.accessToken },
          ),
        )
      ).code,
    ).toBe('NOT_FOUND');
    expect(
      (await failureOf(fx.rpc.call(identityRpc.mediaGet, { mediaId: 'f'.repeat(64) }))).code,
    ).toBe('NOT_FOUND');
  });
});

describe('privacy', () => {
  it('exports personal data, then deletes the account: erased, signed out, login fails like an unknown account', async () => {
    const reg = newMember({ email: 'leaving@example.org' });
    const s = await fx.rpc.call(identityRpc.register, reg);
    await fx.rpc.call(
      identityRpc.meUpdate,
      {
        patch: { bio: 'Leaving soon', organisation: 'Tunis Lab' },
      },
      { actorToken: s.accessToken },
    );
    const exported = await fx.rpc.call(identityRpc.meExport, {}, { actorToken: s.accessToken });
    expect(exported.account).toMatchObject({ email: 'leaving@example.org', bio: 'Leaving soon' });
    expect(exported.sessions).toHaveLength(1);
    expect(exported.dailyLogins).toHaveLength(1);

    await expect(
      fx.rpc.call(
        identityRpc.meDelete,
        { password: 'not my password' },
        { actorToken: s.accessToken },
      ),
    ).rejects.toMatchObject({
      body: { code: 'FORBIDDEN' },
    });
    await expect(
      fx.rpc.call(identityRpc.meDelete, { password: PASSWORD }, { actorToken: s.accessToken }),
    ).resolves.toEqual({ ok: true });

    const doc = await fx.db.collection('members').findOne({
      _id: (
        await fx.db.collection('members').findOne({ email: `deleted-${s.user.id}@deleted.invalid` })
      )?._id,
    });
    expect(doc).toMatchObject({
      status: 'deleted',
      displayName: '',
      bio: '',
      organisation: '',
      passwordHash: '',
    });
    await expect(
      fx.rpc.call(identityRpc.refresh, { refreshToken: s.refreshToken, client }),
    ).rejects.toMatchObject({
      body: { code: 'UNAUTHENTICATED' },
    });
    await expect(
      fx.rpc.call(identityRpc.login, { email: reg.email, password: PASSWORD, client }),
    ).rejects.toMatchObject({
      body: { code: 'UNAUTHENTICATED', message: 'email or password is incorrect' },
    });
    await expect(
      fx.rpc.call(
        identityRpc.memberGet,
        { memberId: s.user.id },
        { actorToken: admin.accessToken },
      ),
    ).rejects.toMatchObject({
      body: { code: 'NOT_FOUND' },
    });
    await eventually(async () => {
      const deleted = (await identityStream(fx.bus)).filter(
        (e) => e.type === identityEvents.memberDeleted.type,
      );
      expect(deleted.map((e) => e.data)).toEqual([{ memberId: s.user.id }]);
    });
  });
});
