// The gateway in front of the REAL identity service (in process) and the embedded store, over a real
// nats-server: the session round trip with the refresh cookie, bad input changing nothing, uploads
// and media, live updates over socket.io, and authorisation checked for every route of the table.
import { randomBytes } from 'node:crypto';
import { bootstrapService, createLogger, type RunningService } from '@agora/platform';
import { startNatsServer, testAccessKeys, type NatsServerHandle } from '@agora/platform/testing';
import { IdentityModule, identityEnvSchema } from '@agora/identity';
import {
  allRoutes,
  authResponseSchema,
  errorResponseSchema,
  identityRoutes,
  privateMemberSchema,
  refreshCookieName,
  socketPath,
  type AuthResponse,
  type ClientToServerEvents,
  type RouteDef,
  type ServerToClientEvents,
} from '@agora/proto';
import sharp from 'sharp';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStore, type TestStore } from '../support/store.js';
import { freshIp, startTestGateway, type TestGateway } from './gateway-fixture.js';

const keys = testAccessKeys();
const adminEmail = 'admin@agora.test';
const password = 'violet-harbour-lantern-93';
let nats: NatsServerHandle;
let store: TestStore;
let identity: RunningService;
let gw: TestGateway;

beforeAll(async () => {
  nats = await startNatsServer();
  store = await startTestStore({ name: 'gateway' });
  const config = identityEnvSchema.parse({
    NATS_URL: nats.url,
    MONGO_URL: store.url,
    AUTH_PUBLIC_KEY: keys.publicKey,
    AUTH_SIGNING_KEY: keys.signingKey,
    HEALTH_PORT: '0',
    LOG_LEVEL: 'silent',
    ADMIN_EMAIL: adminEmail,
  });
  const logger = createLogger('identity', 'silent');
  identity = await bootstrapService({
    service: 'identity',
    module: IdentityModule.forRoot({ config, logger }),
    config,
    logger,
    handleSignals: false,
  });
  await identity.rpcReady;
  gw = await startTestGateway({ NATS_URL: nats.url, AUTH_PUBLIC_KEY: keys.publicKey });
});

afterAll(async () => {
  await gw?.stop();
  await identity?.shutdown();
  await store?.stop();
  await nats?.stop();
});

interface Call {
  method?: string;
  token?: string;
  cookie?: string;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
}

function api(path: string, call: Call = {}): Promise<Response> {
  const headers = new Headers(call.headers);
  if (!headers.has('x-forwarded-for')) headers.set('x-forwarded-for', freshIp());
  if (!headers.has('user-agent')) headers.set('user-agent', 'gateway-identity-test');
  if (call.token) headers.set('authorization', `Bearer ${call.token}`);
  if (call.cookie) headers.set('cookie', `${refreshCookieName}=${call.cookie}`);
  let body = call.body;
  if (call.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(call.json);
  }
  return fetch(`${gw.base}${path}`, { method: call.method ?? 'GET', headers, body });
}

async function json<T = unknown>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function expectError(res: Response, status: number, code?: string): Promise<void> {
  const body = await json(res, status);
  const parsed = errorResponseSchema.parse(body);
  if (code) expect(parsed.error.code).toBe(code);
}

/** The refresh cookie a response sets: value and attributes. */
function refreshCookie(res: Response): { value: string; attrs: string[] } | undefined {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${refreshCookieName}=`));
  if (!line) return undefined;
  const [pair, ...attrs] = line.split(';').map((p) => p.trim());
  return { value: decodeURIComponent(pair!.slice(refreshCookieName.length + 1)), attrs };
}

let accountCounter = 0;
async function register(
  email = `member${++accountCounter}-${randomBytes(3).toString('hex')}@agora.test`,
): Promise<AuthResponse & { cookie: string; email: string }> {
  const res = await api('/api/auth/register', {
    method: 'POST',
    json: { email, password, displayName: 'Test Member', country: 'TN', preferredLanguage: 'en' },
  });
  const cookie = refreshCookie(res);
  const body = authResponseSchema.parse(await json(res, 201));
  expect(cookie?.value).toBeTruthy();
  return { ...body, cookie: cookie!.value, email };
}

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
function connectSocket(token: string): Promise<Client> {
  const s: Client = io(gw.base, {
    path: socketPath,
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    s.once('ready', () => resolve(s));
    s.once('connect_error', reject);
  });
}

function nextEvent<E extends keyof ServerToClientEvents>(
  s: Client,
  event: E,
  timeoutMs = 8_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${event} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    (s.once as (e: string, fn: (p: unknown) => void) => void)(event, (p) => {
      clearTimeout(timer);
      resolve(p as Parameters<ServerToClientEvents[E]>[0]);
    });
  });
}

let admin: AuthResponse & { cookie: string };

describe('gateway + identity', () => {
  it('registers the admin named by ADMIN_EMAIL', async () => {
    admin = await register(adminEmail);
    expect(admin.user.role).toBe('admin');
  });

  it('register → login → me → patch me → refresh rotates the cookie → logout', async () => {
    const reg = await register();
    const regRes = await api('/api/auth/login', {
      method: 'POST',
      json: { email: reg.email, password },
    });
    const loginCookie = refreshCookie(regRes);
    const login = authResponseSchema.parse(await json(regRes, 200));
    expect(login.user.email).toBe(reg.email);
    expect(loginCookie?.attrs).toEqual(
      expect.arrayContaining([
        'Path=/api/auth',
        'HttpOnly',
        'SameSite=Strict',
        expect.stringMatching(/^Max-Age=\d+$/),
      ]),
    );
    expect(loginCookie?.attrs).not.toContain('Secure'); // COOKIE_SECURE=false in this suite
    expect(
      Number(loginCookie?.attrs.find((a) => a.startsWith('Max-Age='))?.slice(8)),
    ).toBeGreaterThan(3600);

    const me = privateMemberSchema.parse(
      await json(await api('/api/me', { token: login.accessToken }), 200),
    );
    expect(me.id).toBe(reg.user.id);

    const patched = privateMemberSchema.parse(
      await json(
        await api('/api/me', {
          method: 'PATCH',
          token: login.accessToken,
          json: { bio: 'Social innovation in Sfax', organisation: 'MedTOWN' },
        }),
        200,
      ),
    );
    expect(patched).toMatchObject({ bio: 'Social innovation in Sfax', organisation: 'MedTOWN' });

    const refreshRes = await api('/api/auth/refresh', {
      method: 'POST',
      cookie: loginCookie!.value,
      json: {},
    });
    const rotated = refreshCookie(refreshRes);
    const refreshed = authResponseSchema.parse(await json(refreshRes, 200));
    expect(rotated?.value).toBeTruthy();
    expect(rotated?.value).not.toBe(loginCookie?.value);
    expect(refreshed.user.id).toBe(reg.user.id);
    expect((await api('/api/me', { token: refreshed.accessToken })).status).toBe(200);

    // The export names the client the gateway passed on (ip from X-Forwarded-For, user agent).
    const exportRes = await api('/api/me/export', { token: refreshed.accessToken });
    expect(exportRes.headers.get('content-disposition')).toMatch(
      /^attachment; filename="agora-my-data-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const data = await json<{
      account: { id: string };
      sessions: { ip: string; userAgent: string }[];
    }>(exportRes, 200);
    expect(data.account.id).toBe(reg.user.id);
    expect(
      data.sessions.some(
        (s) => s.ip.startsWith('198.51.100.') && s.userAgent === 'gateway-identity-test',
      ),
    ).toBe(true);

    const logout = await api('/api/auth/logout', {
      method: 'POST',
      cookie: rotated!.value,
      json: {},
    });
    expect(logout.status).toBe(204);
    const cleared = refreshCookie(logout);
    expect(cleared?.value).toBe('');
    expect(cleared?.attrs.some((a) => a.startsWith('Expires=Thu, 01 Jan 1970'))).toBe(true);
    await expectError(
      await api('/api/auth/refresh', { method: 'POST', cookie: rotated!.value, json: {} }),
      401,
      'UNAUTHENTICATED',
    );
    await expectError(
      await api('/api/auth/refresh', { method: 'POST', json: {} }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it("locks out the guesser's address, not the owner: 10 wrong passwords from one, the right one from another gets in; 429 says Retry-After", async () => {
    const reg = await register();
    const from = (ip: string, pw: string) =>
      api('/api/auth/login', {
        method: 'POST',
        json: { email: reg.email, password: pw },
        headers: { 'x-forwarded-for': ip },
      });
    const guesser = freshIp();
    const answers: Response[] = [];
    for (let i = 0; i < 10; i += 1) answers.push(await from(guesser, 'not-the-password-at-all'));
    const locked = answers.filter((r) => r.status === 429);
    expect(locked.length).toBeGreaterThan(0);
    for (const r of locked) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    await json(await from(freshIp(), password), 200);
  });

  it('refuses the cookie routes to another site and to forms: the session survives', async () => {
    const reg = await register();
    const cross = { origin: 'https://evil.example', 'content-type': 'application/json' };
    await expectError(
      await api('/api/auth/logout', {
        method: 'POST',
        cookie: reg.cookie,
        headers: cross,
        body: '{}',
      }),
      403,
      'FORBIDDEN',
    );
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    for (const path of ['/api/auth/logout', '/api/auth/refresh'])
      await expectError(
        await api(path, { method: 'POST', cookie: reg.cookie, headers: form, body: 'a=b' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
    await expectError(
      await api('/api/auth/refresh', {
        method: 'POST',
        cookie: reg.cookie,
        headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
        body: '{}',
      }),
      403,
      'FORBIDDEN',
    );
    // The same site may: the cookie was never spent by the refused attempts.
    const own = { origin: gw.base };
    const refreshed = await api('/api/auth/refresh', {
      method: 'POST',
      cookie: reg.cookie,
      headers: own,
      json: {},
    });
    await json(refreshed, 200);
  });

  it('answers malformed input with 4xx in the error shape and changes nothing', async () => {
    const m = await register();
    const before = await json(await api('/api/me', { token: m.accessToken }), 200);
    const bad: Call[] = [
      { method: 'PATCH', json: { bio: 'x', isAdmin: true } },
      { method: 'PATCH', json: { displayName: { $gt: '' } } },
      { method: 'PATCH', json: { country: 'Tunisia' } },
      { method: 'PATCH', json: {} },
      { method: 'PATCH', body: '{"bio":', headers: { 'content-type': 'application/json' } },
      {
        method: 'PATCH',
        body: 'bio=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      { method: 'PATCH', json: { bio: 'x'.repeat(120_000) } },
    ];
    for (const call of bad) {
      const res = await api('/api/me', { ...call, token: m.accessToken });
      expect([400, 413, 415]).toContain(res.status);
      errorResponseSchema.parse(await res.json());
    }
    expect(await json(await api('/api/me', { token: m.accessToken }), 200)).toEqual(before);

    await expectError(
      await api('/api/auth/login', {
        method: 'POST',
        json: { email: { $gt: '' }, password: { $ne: null } },
      }),
      400,
      'VALIDATION_FAILED',
    );
    // a known address is not refused: 202 "check your mail", its owner is mailed instead
    const dup = await api('/api/auth/register', {
      method: 'POST',
      json: {
        email: m.email,
        password,
        displayName: 'Dup',
        country: 'TN',
        preferredLanguage: 'en',
      },
    });
    expect(dup.status).toBe(202);
    expect(dup.headers.get('set-cookie')).toBeNull();
    expect(await dup.json()).toEqual({ status: 'check-mail' });
    await expectError(
      await api('/api/auth/register', {
        method: 'POST',
        json: {
          email: 'short@agora.test',
          password: 'short',
          displayName: 'X1',
          country: 'TN',
          preferredLanguage: 'en',
        },
      }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await api('/api/auth/login', {
        method: 'POST',
        json: { email: m.email, password: 'wrong-password-123' },
      }),
      401,
    );
  });

  it('uploads an avatar through the object store and serves it with cache headers; live me.updated follows', async () => {
    const m = await register();
    const socket = await connectSocket(m.accessToken);
    try {
      const heard = nextEvent(socket, 'me.updated');
      const png = await sharp({
        create: { width: 64, height: 64, channels: 3, background: '#2a6f97' },
      })
        .png()
        .toBuffer();
      const updated = privateMemberSchema.parse(
        await json(
          await api('/api/me/avatar', {
            method: 'PUT',
            token: m.accessToken,
            body: png,
            headers: { 'content-type': 'image/png' },
          }),
          200,
        ),
      );
      expect(updated.avatarUrl).toMatch(/^\/api\/media\/[a-f0-9]{64}$/);
      expect(await heard).toEqual({ fields: ['avatarUrl'] });

      const media = await api(updated.avatarUrl!);
      expect(media.status).toBe(200);
      expect(media.headers.get('content-type')).toMatch(/^image\//);
      expect(media.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const etag = media.headers.get('etag');
      expect(etag).toBe(`"${updated.avatarUrl!.split('/').pop()}"`);
      expect((await media.arrayBuffer()).byteLength).toBeGreaterThan(0);
      expect((await api(updated.avatarUrl!, { headers: { 'if-none-match': etag! } })).status).toBe(
        304,
      );

      await expectError(
        await api('/api/me/cover', {
          method: 'PUT',
          token: m.accessToken,
          body: Buffer.from('not an image at all'),
          headers: { 'content-type': 'image/png' },
        }),
        415,
      );
      await expectError(await api(`/api/media/${'0'.repeat(64)}`), 404, 'NOT_FOUND');
    } finally {
      socket.disconnect();
    }
  });

  it('relays me.updated to a member’s socket after PATCH /api/me from another client', async () => {
    const m = await register();
    const socket = await connectSocket(m.accessToken);
    try {
      const heard = nextEvent(socket, 'me.updated');
      const other = authResponseSchema.parse(
        await json(
          await api('/api/auth/login', { method: 'POST', json: { email: m.email, password } }),
          200,
        ),
      );
      await json(
        await api('/api/me', {
          method: 'PATCH',
          token: other.accessToken,
          json: { bio: 'Updated from my phone' },
        }),
        200,
      );
      expect(await heard).toEqual({ fields: ['bio'] });
    } finally {
      socket.disconnect();
    }
  });

  it('sessions: lists my devices, ends one (its refresh, token and socket refused at once), then all others', async () => {
    const reg = await register();
    const phoneUa =
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
    const signIn = async (userAgent: string) => {
      const res = await api('/api/auth/login', {
        method: 'POST',
        headers: { 'user-agent': userAgent },
        json: { email: reg.email, password },
      });
      const cookie = refreshCookie(res)!.value;
      return { ...authResponseSchema.parse(await json(res, 200)), cookie };
    };
    const phone = await signIn(phoneUa);
    const tablet = await signIn(
      'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
    );
    const list = await json<{
      items: { id: string; browser: string; os: string; current: boolean }[];
    }>(await api('/api/me/sessions', { token: reg.accessToken }), 200);
    expect(list.items).toHaveLength(3);
    const current = list.items.filter((s) => s.current);
    expect(current).toHaveLength(1);
    const phoneRow = list.items.find((s) => s.browser === 'Chrome 126');
    expect(phoneRow).toMatchObject({ os: 'Android 14', current: false });

    const socket = await connectSocket(phone.accessToken);
    try {
      const out = nextEvent(socket, 'session.expired');
      await json(
        await api(`/api/me/sessions/${phoneRow!.id}`, { method: 'DELETE', token: reg.accessToken }),
        204,
      );
      expect(await out).toEqual({ reason: 'session ended' });
    } finally {
      socket.disconnect();
    }
    await expectError(
      await api('/api/auth/refresh', { method: 'POST', cookie: phone.cookie, json: {} }),
      401,
      'UNAUTHENTICATED',
    );
    await expectError(await api('/api/me', { token: phone.accessToken }), 401, 'TOKEN_EXPIRED');
    // Another member's session id, or one already ended: not found.
    await expectError(
      await api(`/api/me/sessions/${phoneRow!.id}`, { method: 'DELETE', token: reg.accessToken }),
      404,
      'NOT_FOUND',
    );
    await expectError(
      await api('/api/me/sessions/not-a-uuid', { method: 'DELETE', token: reg.accessToken }),
      400,
      'VALIDATION_FAILED',
    );

    const others = await json<{ revoked: number }>(
      await api('/api/me/sessions/revoke-others', {
        method: 'POST',
        token: reg.accessToken,
        json: {},
      }),
      200,
    );
    expect(others.revoked).toBe(1);
    await expectError(
      await api('/api/auth/refresh', { method: 'POST', cookie: tablet.cookie, json: {} }),
      401,
      'UNAUTHENTICATED',
    );
    const left = await json<{ items: { id: string; current: boolean }[] }>(
      await api('/api/me/sessions', { token: reg.accessToken }),
      200,
    );
    expect(left.items).toEqual([expect.objectContaining({ current: true })]);
    await json(
      await api('/api/auth/refresh', { method: 'POST', cookie: reg.cookie, json: {} }),
      200,
    );
  });

  it('suspension: the member is signed out everywhere at once, told why at sign-in, and can come back when reinstated', async () => {
    const m = await register();
    const socket = await connectSocket(m.accessToken);
    const out = nextEvent(socket, 'session.expired');
    const suspend = (token: string, id = m.user.id) =>
      api(`/api/admin/members/${id}/suspend`, {
        method: 'POST',
        token,
        json: { reason: 'Repeated spam in the forum' },
      });
    await expectError(await suspend(m.accessToken, admin.user.id), 403, 'FORBIDDEN');
    await expectError(
      await api(`/api/admin/members/${m.user.id}/suspend`, {
        method: 'POST',
        token: admin.accessToken,
        json: { reason: '' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    const view = await json<{ status: string; suspension: { reason: string } }>(
      await suspend(admin.accessToken),
      200,
    );
    expect(view).toMatchObject({
      status: 'suspended',
      suspension: { reason: 'Repeated spam in the forum' },
    });
    try {
      expect(await out).toEqual({ reason: 'account suspended' });
    } finally {
      socket.disconnect();
    }
    await expectError(await suspend(admin.accessToken), 409, 'CONFLICT');
    const login = await api('/api/auth/login', {
      method: 'POST',
      json: { email: m.email, password },
    });
    const refused = errorResponseSchema.parse(await json(login, 403));
    expect(refused.error).toMatchObject({
      code: 'ACCOUNT_SUSPENDED',
      details: { reason: 'Repeated spam in the forum' },
    });
    // The tab refreshing its ended session hears why.
    await expectError(
      await api('/api/auth/refresh', { method: 'POST', cookie: m.cookie, json: {} }),
      403,
      'ACCOUNT_SUSPENDED',
    );
    await expectError(await api('/api/me', { token: m.accessToken }), 401, 'TOKEN_EXPIRED');
    // A socket with the old token is refused at the handshake.
    await expect(connectSocket(m.accessToken)).rejects.toMatchObject({
      data: { code: 'TOKEN_EXPIRED' },
    });

    const listed = await json<{ items: { id: string; status: string }[] }>(
      await api('/api/admin/members?status=suspended&limit=100', { token: admin.accessToken }),
      200,
    );
    expect(listed.items.map((i) => i.id)).toContain(m.user.id);
    await json(
      await api(`/api/admin/members/${m.user.id}/reinstate`, {
        method: 'POST',
        token: admin.accessToken,
        json: { reason: 'Appeal accepted' },
      }),
      200,
    );
    // Its sessions stay ended: the old refresh cookie does not come back with the account.
    await expectError(
      await api('/api/auth/refresh', { method: 'POST', cookie: m.cookie, json: {} }),
      401,
      'UNAUTHENTICATED',
    );
    await json(
      await api('/api/auth/login', { method: 'POST', json: { email: m.email, password } }),
      200,
    );
  });

  describe('authorisation for every route of the table', () => {
    let member: Awaited<ReturnType<typeof register>>;
    let target: Awaited<ReturnType<typeof register>>;
    let doomed: Awaited<ReturnType<typeof register>>;
    const someId = 'f'.repeat(24);

    beforeAll(async () => {
      member = await register();
      target = await register();
      doomed = await register();
    });

    /** A well-formed request for each route (path filled in), so only the credentials differ. */
    const samples: Record<keyof typeof identityRoutes, () => { path: string; call: Call }> = {
      register: () => ({ path: '/api/auth/register', call: { method: 'POST', json: {} } }),
      login: () => ({ path: '/api/auth/login', call: { method: 'POST', json: {} } }),
      refresh: () => ({ path: '/api/auth/refresh', call: { method: 'POST', json: {} } }),
      logout: () => ({ path: '/api/auth/logout', call: { method: 'POST', json: {} } }),
      meGet: () => ({ path: '/api/me', call: {} }),
      meUpdate: () => ({ path: '/api/me', call: { method: 'PATCH', json: { bio: 'auth check' } } }),
      meImage: () => ({
        path: '/api/me/avatar',
        call: {
          method: 'PUT',
          body: Buffer.from([1, 2, 3]),
          headers: { 'content-type': 'image/png' },
        },
      }),
      meExport: () => ({ path: '/api/me/export', call: {} }),
      meDelete: () => ({ path: '/api/me', call: { method: 'DELETE', json: { password } } }),
      memberGet: () => ({ path: `/api/members/${target.user.id}`, call: {} }),
      invitationCreate: () => ({
        path: '/api/invitations',
        call: { method: 'POST', json: { email: 'friend@agora.test', message: 'Join us' } },
      }),
      invitationList: () => ({ path: '/api/invitations', call: {} }),
      invitationLookup: () => ({ path: '/api/invitations/0123456789abcdef0123', call: {} }),
      media: () => ({ path: `/api/media/${'0'.repeat(64)}`, call: {} }),
      adminMembers: () => ({ path: '/api/admin/members?limit=5', call: {} }),
      adminRoleSet: () => ({
        path: `/api/admin/members/${target.user.id}/role`,
        call: { method: 'PATCH', json: { role: 'facilitator' } },
      }),
      adminMailbox: () => ({ path: '/api/admin/mailbox', call: {} }),
    };

    const byRoute = new Map<RouteDef, keyof typeof identityRoutes>(
      Object.entries(identityRoutes).map(([k, v]) => [
        v as RouteDef,
        k as keyof typeof identityRoutes,
      ]),
    );

    // Identity's routes in the table; other contexts' suites check theirs (spaces-proposals.test.ts).
    const identityTable = allRoutes.filter((r) =>
      Object.values(identityRoutes).includes(r as never),
    );

    it('has a sample request for every identity route in allRoutes', () => {
      for (const route of identityTable)
        expect(byRoute.get(route), `${route.method} ${route.path}`).toBeDefined();
    });

    it('member and admin routes refuse a request without a token (401), and a bad token (401)', async () => {
      for (const route of identityTable.filter((r) => r.auth !== 'public')) {
        const { path, call } = samples[byRoute.get(route)!]();
        await expectError(await api(path, call), 401, 'UNAUTHENTICATED');
        await expectError(
          await api(path, { ...call, token: `${member.accessToken}x` }),
          401,
          'UNAUTHENTICATED',
        );
      }
    });

    it('admin routes refuse a member (403) and accept an admin', async () => {
      const adminRoutes = identityTable.filter((r) => r.auth === 'admin');
      expect(adminRoutes.length).toBeGreaterThan(0);
      for (const route of adminRoutes) {
        const { path, call } = samples[byRoute.get(route)!]();
        await expectError(
          await api(path, { ...call, token: member.accessToken }),
          403,
          'FORBIDDEN',
        );
        const ok = await api(path, { ...call, token: admin.accessToken });
        expect(ok.status, `${route.method} ${route.path}: ${await ok.clone().text()}`).toBe(
          route.status,
        );
      }
      // Identity re-checks the role: the member's token never changes target's role, the admin's did.
      const seen = await json<{ role: string }>(
        await api(`/api/members/${target.user.id}`, { token: member.accessToken }),
        200,
      );
      expect(seen.role).toBe('facilitator');
    });

    it('identity re-checks the role: a demoted admin whose token still says admin is refused', async () => {
      const b = await register();
      const setRole = (role: string) =>
        api(`/api/admin/members/${b.user.id}/role`, {
          method: 'PATCH',
          token: admin.accessToken,
          json: { role },
        });
      await json(await setRole('admin'), 200);
      const promoted = authResponseSchema.parse(
        await json(
          await api('/api/auth/refresh', { method: 'POST', cookie: b.cookie, json: {} }),
          200,
        ),
      );
      expect(promoted.user.role).toBe('admin');
      expect((await api('/api/admin/mailbox', { token: promoted.accessToken })).status).toBe(200);
      await json(await setRole('member'), 200);
      // The (still valid) admin token: identity answers from the stored role (403), or the gateway,
      // once its view has the role change, refuses the token as expired (401: refresh for a new one).
      const res = await api('/api/admin/mailbox', { token: promoted.accessToken });
      const body = errorResponseSchema.parse(await res.json());
      expect([
        [403, 'FORBIDDEN'],
        [401, 'TOKEN_EXPIRED'],
      ]).toContainEqual([res.status, body.error.code]);
    });

    it('member routes serve a member, acting only on the token’s account', async () => {
      for (const route of identityTable.filter((r) => r.auth === 'member')) {
        const { path, call } = samples[byRoute.get(route)!]();
        // Deleting uses an account of its own; the 3 bytes sent as an image are refused by identity, past auth.
        const token = route === identityRoutes.meDelete ? doomed.accessToken : member.accessToken;
        const expected = route === identityRoutes.meImage ? 415 : route.status;
        const res = await api(path, { ...call, token });
        expect(res.status, `${route.method} ${route.path}: ${await res.clone().text()}`).toBe(
          expected,
        );
        await res.body?.cancel();
      }
      // The deleted account's token no longer opens anything.
      expect([401, 404]).toContain((await api('/api/me', { token: doomed.accessToken })).status);
      // The PATCH above changed the member's own profile, not the target's.
      const mine = await json<{ bio: string }>(
        await api('/api/me', { token: member.accessToken }),
        200,
      );
      expect(mine.bio).toBe('auth check');
      const theirs = await json<{ bio: string }>(
        await api(`/api/members/${target.user.id}`, { token: member.accessToken }),
        200,
      );
      expect(theirs.bio).toBe('');
    });

    it('public routes need no token', async () => {
      for (const route of identityTable.filter((r) => r.auth === 'public')) {
        const { path, call } = samples[byRoute.get(route)!]();
        const res = await api(path, call);
        // Refresh without its cookie is the one public route that answers 401 ("no session").
        const refused = route === identityRoutes.refresh ? [403] : [401, 403];
        expect(refused, `${route.method} ${route.path}`).not.toContain(res.status);
        await res.body?.cancel();
      }
      // An unknown member id answers NOT_FOUND, not someone else's data.
      await expectError(
        await api(`/api/members/${someId}`, { token: member.accessToken }),
        404,
        'NOT_FOUND',
      );
    });
  });
});
