// An erasure that erases: within 60 s of `DELETE /api/me`, none of the account's personal data is in
// any file under the hub's data directory (the store's journal, JetStream's store under nats/, the
// dev mailbox), on the hub as `npm start` runs it (own nats-server and embedded store).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { startHub, type RunningHub } from '@agora/launcher';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ERASED_WITHIN_MS = 60_000;
const PASSWORD = 'a long enough passphrase 7';
const hex = (n: number) => randomBytes(n).toString('hex');

/** A PNG chunk: length, type, data, CRC over type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A 64×64 RGB PNG with a striped pattern and `comment` in a tEXt chunk (the upload, as sent). */
function markedPng(comment: string): Buffer {
  const size = 64;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const rows = Buffer.alloc(size * (1 + size * 3));
  for (let y = 0; y < size; y += 1)
    for (let x = 0; x < size; x += 1)
      rows.set(
        [(x * 37) % 256, (y * 53) % 256, ((x ^ y) * 11) % 256],
        y * (1 + size * 3) + 1 + x * 3,
      );
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('tEXt', Buffer.from(`Comment\0${comment}`, 'latin1')),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * What to look for: the bytes themselves and their base64 at each of the three alignments (first
 * and last group dropped, since they depend on the neighbouring bytes).
 */
function forms(value: Buffer): Buffer[] {
  const encoded = [0, 1, 2].map((pad) => {
    const b64 = Buffer.concat([Buffer.alloc(pad), value]).toString('base64');
    return Buffer.from(b64.slice(pad === 0 ? 0 : 4, -4));
  });
  return [value, ...encoded];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    try {
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    } catch {
      return []; // replaced while we looked (a compaction, a rotated block)
    }
  });
}

/** The labels of `needles` found, in any form, in any file under `dir`, with the file. */
function foundUnder(dir: string, needles: Record<string, Buffer>): Record<string, string> {
  const found: Record<string, string> = {};
  for (const path of filesUnder(dir)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      continue;
    }
    for (const [label, value] of Object.entries(needles))
      if (!(label in found) && forms(value).some((f) => bytes.includes(f)))
        found[label] = path.slice(dir.length + 1);
  }
  return found;
}

describe('erasure on the hub (own nats-server, embedded store)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agora-erasure-'));
  let hub: RunningHub;
  let store: MongoClient;
  interface Call {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Uint8Array<ArrayBuffer>;
  }
  const api = (path: string, call: Call = {}, token?: string) =>
    fetch(`${hub.url}/api${path}`, {
      method: call.method ?? 'GET',
      body: call.body,
      headers: {
        ...(typeof call.body === 'string' ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...call.headers,
      },
    });
  const register = async (
    email: string,
    displayName: string,
    userAgent: string,
    invitationToken?: string,
  ) => {
    const res = await api('/auth/register', {
      method: 'POST',
      headers: { 'user-agent': userAgent },
      body: JSON.stringify({
        email,
        password: PASSWORD,
        displayName,
        country: 'PS',
        preferredLanguage: 'ar',
        ...(invitationToken ? { invitationToken } : {}),
      }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { accessToken: string; user: { id: string } };
  };
  const invite = async (token: string, address: string, message: string) => {
    const res = await api(
      '/invitations',
      { method: 'POST', body: JSON.stringify({ email: address, message }) },
      token,
    );
    expect(res.status).toBe(201);
  };
  /** The invitation mail to `address` in the dev mailbox (as the admin reads it) and its link's token. */
  const mailTo = async (adminToken: string, address: string) => {
    let mail: { to: string; text: string } | undefined;
    await expect
      .poll(
        async () => {
          const res = await api('/admin/mailbox', {}, adminToken);
          const box = (await res.json()) as { items: { to: string; text: string }[] };
          mail = box.items.find((m) => m.to === address);
          return mail;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBeDefined();
    const link = /invite=([^\s"&<]+)/.exec(mail?.text ?? '')?.[1];
    expect(link).toBeDefined();
    return { text: mail?.text ?? '', token: decodeURIComponent(link ?? '') };
  };

  // Markers found nowhere else: lower case, as addresses are stored normalised.
  const email = `erasable-${hex(6)}@example.org`;
  const displayName = `Erasable ${hex(6)}`;
  const invitee = `invitee-${hex(6)}@example.org`;
  const userAgent = `ErasureAgent/${hex(6)}`;
  const uploadMarker = `upload-marker-${hex(8)}`;
  const needles: Record<string, Buffer> = {
    email: Buffer.from(email),
    'display name': Buffer.from(displayName),
    'invited address': Buffer.from(invitee),
    'user agent': Buffer.from(userAgent),
  };

  beforeAll(async () => {
    hub = await startHub({ port: 0, dataDir, quiet: true });
    const storeUrl = hub.services.find((s) => s.name === 'store')?.url;
    const { STORE_PASSWORD } = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as {
      STORE_PASSWORD: string;
    };
    // the launcher's store user (deploy/local/launcher secrets.ts), to read what identity wrote
    const authed = new URL(storeUrl ?? '');
    authed.username = 'agora';
    authed.password = STORE_PASSWORD;
    authed.searchParams.set('authSource', 'admin');
    store = new MongoClient(authed.href, { serverSelectionTimeoutMS: 10_000 });
    await store.connect();
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await hub?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves none of a deleted account’s personal data in any file under the data directory', async () => {
    // The first account is the install's admin (who reads the dev mailbox); the second is erased.
    const admin = await register(`keeper-${hex(4)}@example.org`, 'Data Keeper', 'AdminAgent');
    // The admin invited the member: that invitation (accepted) and its mail hold their address.
    await invite(admin.accessToken, email, 'Come and co-draft');
    const welcome = await mailTo(admin.accessToken, email);
    const member = await register(email, displayName, userAgent, welcome.token);
    const token = member.accessToken;

    // An avatar: the upload carries a marker in a tEXt chunk.
    const png = markedPng(uploadMarker);
    const put = await api(
      '/me/avatar',
      { method: 'PUT', headers: { 'content-type': 'image/png' }, body: new Uint8Array(png) },
      token,
    );
    expect(put.status).toBe(200);
    const { avatarUrl } = (await put.json()) as { avatarUrl: string };
    const stored = Buffer.from(await (await fetch(`${hub.url}${avatarUrl}`)).arrayBuffer());
    expect(stored.subarray(8, 12).toString('latin1')).toBe('WEBP');
    // sharp strips metadata: the stored image has no marker, but its bytes are the member's image
    expect(stored.includes(Buffer.from(uploadMarker))).toBe(false);
    const middle = Math.floor(stored.length / 2);
    needles['avatar as stored'] = stored.subarray(middle, middle + 48);

    // An invitation, whose mail lands in the dev mailbox.
    await invite(token, invitee, 'Join our workshop');
    const mail = await mailTo(admin.accessToken, invitee);
    expect(mail.text).toContain(displayName);
    needles['invitation token'] = Buffer.from(mail.token);

    // A failed sign-in, which the throttle counts per address.
    const failed = await api('/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email, password: 'not the password at all' }),
    });
    expect(failed.status).toBe(401);

    const db = store.db('agora_identity');
    const doc = await db.collection('members').findOne({ email });
    expect(doc?.passwordHash).toMatch(/^\$argon2id\$/);
    needles['password hash'] = Buffer.from(String(doc?.passwordHash));
    const session = await db.collection('sessions').findOne({ memberId: doc?._id });
    expect(session?.userAgent).toBe(userAgent);

    // Before: the scan finds every one of them (so it can fail) — but never the raw upload, which
    // lived in the memory bucket only and was deleted once used.
    await expect
      .poll(() => Object.keys(foundUnder(dataDir, needles)).sort(), { timeout: 20_000 })
      .toEqual(Object.keys(needles).sort());
    expect(foundUnder(dataDir, { 'raw upload': Buffer.from(uploadMarker) })).toEqual({});

    const deleted = await api(
      '/me',
      { method: 'DELETE', body: JSON.stringify({ password: PASSWORD }) },
      token,
    );
    expect(deleted.status).toBe(204);
    // Signing in afterwards fails, and is counted; the count's key must not hold the address.
    const after = await api('/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(after.status).toBe(401);

    const everything = { ...needles, 'raw upload': Buffer.from(uploadMarker) };
    await expect
      .poll(() => foundUnder(dataDir, everything), {
        timeout: ERASED_WITHIN_MS,
        interval: 1_000,
      })
      .toEqual({});
    // The image is gone from the API too, and the account reads as erased.
    expect((await fetch(`${hub.url}${avatarUrl}`)).status).toBe(404);
    expect(await db.collection('members').findOne({ _id: doc?._id })).toMatchObject({
      status: 'deleted',
      displayName: '',
    });
    // The admin's invitation stays theirs, without the address it was sent to.
    expect(
      await db.collection('invitations').findOne({ acceptedMemberId: doc?._id }),
    ).toMatchObject({ email: `deleted-${member.user.id}@deleted.invalid` });
  }, 180_000);
});
