// The gateway's own behaviour at the edge, against a real nats-server: error shape, limits, headers,
// docs, token checks. A plain NATS subscriber stands in for identity where a test must see (or prove
// the absence of) RPC traffic; the full identity round trips are in gateway-identity.test.ts.
import { connect as tcpConnect, type Socket as TcpSocket } from 'node:net';
import { AccessTokenSigner } from '@agora/platform';
import { startNatsServer, testAccessKeys, type NatsServerHandle } from '@agora/platform/testing';
import { allRoutes, errorResponseSchema, identityRpc } from '@agora/proto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshIp, startTestGateway, type TestGateway } from './gateway-fixture.js';

const keys = testAccessKeys();
let nats: NatsServerHandle;
let gw: TestGateway;
let probe: NatsConnection;
let tokens: AccessTokenSigner;
const memberId = 'b'.repeat(24);

beforeAll(async () => {
  nats = await startNatsServer();
  gw = await startTestGateway({
    NATS_URL: nats.url,
    AUTH_PUBLIC_KEY: keys.publicKey,
    RATE_LIMIT_IP_BURST: '40',
    RATE_LIMIT_IP_PER_SEC: '0.01',
    RATE_LIMIT_MEMBER_BURST: '5',
    RATE_LIMIT_MEMBER_PER_SEC: '0.01',
  });
  probe = await connect({ servers: nats.url });
  tokens = new AccessTokenSigner(keys.signingKey);
});

afterAll(async () => {
  await probe?.close();
  await gw?.stop();
  await nats?.stop();
});

function api(path: string, init: RequestInit & { ip?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('x-forwarded-for', init.ip ?? freshIp());
  return fetch(`${gw.base}${path}`, { ...init, headers });
}

async function expectError(
  res: Response,
  status: number,
  code: string,
): Promise<{ code: string; message: string; details?: unknown }> {
  const body: unknown = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  const parsed = errorResponseSchema.parse(body);
  expect(parsed.error.code).toBe(code);
  return parsed.error;
}

/** Records every message on identity's subjects while `fn` runs. */
async function identityTraffic(fn: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const sub = probe.subscribe('agora.identity.>', {
    callback: (_e, msg) => {
      seen.push(msg.subject);
      // Answer like a service that knows nothing, so callers do not wait for a timeout.
      const req = JSON.parse(msg.string()) as { id: string };
      msg.respond(
        JSON.stringify({
          id: req.id,
          err: { code: 'NOT_FOUND', message: 'probe' },
          isDisposed: true,
        }),
      );
    },
  });
  await probe.flush();
  await fn();
  await probe.flush();
  await new Promise((r) => setTimeout(r, 100));
  sub.unsubscribe();
  return seen;
}

/** `PUT /api/me/avatar` request head; a header set to undefined is left out. */
function uploadHead(headers: Record<string, string | undefined>): string {
  const all: Record<string, string | undefined> = {
    host: '127.0.0.1',
    'content-type': 'image/png',
    'content-length': '1024',
    expect: '100-continue',
    'x-forwarded-for': freshIp(),
    ...headers,
  };
  const lines = Object.entries(all).flatMap(([k, v]) => (v === undefined ? [] : [`${k}: ${v}`]));
  return ['PUT /api/me/avatar HTTP/1.1', ...lines, '', ''].join('\r\n');
}

interface RawConnection {
  socket: TcpSocket;
  /** Everything the server sent, once it closed the connection (rejects after 10 s). */
  closed: Promise<string>;
  /** Resolves once what the server sent so far matches (rejects after 10 s). */
  received(pattern: RegExp): Promise<string>;
}

/** A plain TCP client writing `head` and collecting the answer, so a test controls what is sent. */
async function rawHttp(head: string): Promise<RawConnection> {
  const socket = tcpConnect(gw.service.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let text = '';
  const waiters: (() => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    for (const w of waiters.splice(0)) w();
  });
  const within = <T>(what: string, p: Promise<T>): Promise<T> =>
    Promise.race([
      p,
      new Promise<T>((_, reject) =>
        setTimeout(() => reject(new Error(`${what} within 10 s; got: ${text}`)), 10_000),
      ),
    ]);
  const closed = within(
    'server did not close the connection',
    new Promise<string>((resolve) => socket.once('close', () => resolve(text))),
  );
  closed.catch(() => socket.destroy());
  socket.write(head);
  return {
    socket,
    closed,
    received: (pattern) =>
      within(
        `no ${String(pattern)}`,
        new Promise<string>((resolve) => {
          const check = (): void => {
            if (pattern.test(text)) resolve(text);
            else waiters.push(check);
          };
          check();
        }),
      ),
  };
}

describe('gateway edge', () => {
  it('serves /healthz and /readyz on the API port', async () => {
    expect((await fetch(`${gw.base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gw.base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { nats: true } });
  });

  it('answers unknown routes 404 and wrong methods 405 (with Allow), in the error shape', async () => {
    await expectError(await api('/api/nope'), 404, 'NOT_FOUND');
    await expectError(await api('/elsewhere'), 404, 'NOT_FOUND');
    const res = await api('/api/me', { method: 'POST' });
    expect(res.headers.get('allow')).toContain('PATCH');
    await expectError(res, 405, 'METHOD_NOT_ALLOWED');
  });

  it('refuses malformed JSON, oversized bodies and foreign media types', async () => {
    const json = { 'content-type': 'application/json' };
    const malformed = await expectError(
      await api('/api/auth/login', { method: 'POST', headers: json, body: '{"email":' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(malformed.message).toContain('malformed');
    const big = JSON.stringify({ email: 'a@b.org', password: 'x'.repeat(110_000) });
    await expectError(
      await api('/api/auth/login', { method: 'POST', headers: json, body: big }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    await expectError(
      await api('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'hello',
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('never lets a $-prefixed key reach a service, in body or query', async () => {
    const seen = await identityTraffic(async () => {
      const res = await api('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: { $gt: '' }, password: 'whatever-long-enough' }),
      });
      const err = await expectError(res, 400, 'VALIDATION_FAILED');
      expect(err.details).toEqual([
        expect.objectContaining({ in: 'body', path: ['email', '$gt'] }),
      ]);
      await expectError(
        await api('/api/invitations/abcdefabcdefabcdef?$where=1'),
        400,
        'VALIDATION_FAILED',
      );
    });
    expect(seen).toEqual([]);

    // Control: the probe does see a well-formed call (so the empty list above means something).
    const control = await identityTraffic(async () => {
      const res = await api('/api/invitations/abcdefabcdefabcdef');
      await expectError(res, 404, 'NOT_FOUND');
    });
    expect(control).toEqual([identityRpc.invitationLookup.subject]);
  });

  it('refuses unknown fields and bad params with the zod issues as details', async () => {
    const err = await expectError(
      await api('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'a@b.org', password: 'pw', role: 'admin' }),
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(err.details).toEqual([
      expect.objectContaining({ in: 'body', code: 'unrecognized_keys' }),
    ]);
    await expectError(await api('/api/invitations/short'), 400, 'VALIDATION_FAILED');
  });

  it('passes a service error body through with its HTTP status', async () => {
    const sub = probe.subscribe(identityRpc.invitationLookup.subject, {
      max: 1,
      callback: (_e, msg) => {
        const req = JSON.parse(msg.string()) as { id: string };
        msg.respond(
          JSON.stringify({
            id: req.id,
            err: { code: 'NOT_FOUND', message: 'no such invitation' },
            isDisposed: true,
          }),
        );
      },
    });
    await probe.flush();
    const err = await expectError(
      await api('/api/invitations/0123456789abcdef0123'),
      404,
      'NOT_FOUND',
    );
    expect(err.message).toBe('no such invitation');
    sub.unsubscribe();
  });

  it('checks access tokens: none, garbage, expired, and admin routes refuse members', async () => {
    await expectError(await api('/api/me'), 401, 'UNAUTHENTICATED');
    await expectError(
      await api('/api/me', { headers: { authorization: 'Bearer not.a.token' } }),
      401,
      'UNAUTHENTICATED',
    );
    await expectError(
      await api('/api/me', { headers: { authorization: 'Basic abc' } }),
      401,
      'UNAUTHENTICATED',
    );
    const other = await new AccessTokenSigner(testAccessKeys().signingKey).sign({
      sub: memberId,
      role: 'admin',
    });
    await expectError(
      await api('/api/me', { headers: { authorization: `Bearer ${other.token}` } }),
      401,
      'UNAUTHENTICATED',
    );
    const expired = await tokens.sign(
      { sub: memberId, role: 'member' },
      new Date(Date.now() - 3_600_000),
    );
    await expectError(
      await api('/api/me', { headers: { authorization: `Bearer ${expired.token}` } }),
      401,
      'TOKEN_EXPIRED',
    );
    const member = await tokens.sign({ sub: memberId, role: 'facilitator' });
    await expectError(
      await api('/api/admin/members', { headers: { authorization: `Bearer ${member.token}` } }),
      403,
      'FORBIDDEN',
    );
  });

  it('limits each member: 429 with Retry-After once the bucket is empty', async () => {
    const { token } = await tokens.sign({ sub: 'c'.repeat(24), role: 'member' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      statuses.push(
        (await api('/api/me', { headers: { authorization: `Bearer ${token}` } })).status,
      );
    }
    expect(statuses.every((s) => s === 503)).toBe(true); // no identity here: the calls got through
    const res = await api('/api/me', { headers: { authorization: `Bearer ${token}` } });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    await expectError(res, 429, 'RATE_LIMITED');
  });

  it('limits each IP, whatever the route', async () => {
    const ip = freshIp();
    for (let i = 0; i < 40; i += 1) await (await api('/api/nope', { ip })).body?.cancel();
    const res = await api('/api/openapi.json', { ip });
    expect(res.headers.get('retry-after')).toBeTruthy();
    await expectError(res, 429, 'RATE_LIMITED');
    expect((await api('/api/openapi.json')).status).toBe(200); // another address is unaffected
  });

  it('echoes or assigns x-request-id and sends security headers; CORS stays closed', async () => {
    const mine = await api('/api/openapi.json', { headers: { 'x-request-id': 'req-abc-123' } });
    expect(mine.headers.get('x-request-id')).toBe('req-abc-123');
    const assigned = await api('/api/nope');
    expect(assigned.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await api('/api/nope', { headers: { 'x-request-id': 'evil\tvalue with spaces' } });
    expect(bad.headers.get('x-request-id')).not.toContain('evil');
    expect(mine.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(mine.headers.get('x-content-type-options')).toBe('nosniff');
    expect(mine.headers.get('x-powered-by')).toBeNull();
    const preflight = await api('/api/auth/login', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('opens CORS to exactly the one CORS_ORIGIN when set', async () => {
    const open = await startTestGateway({
      NATS_URL: nats.url,
      AUTH_PUBLIC_KEY: keys.publicKey,
      CORS_ORIGIN: 'https://agora.example.org',
    });
    try {
      const preflight = (origin: string) =>
        fetch(`${open.base}/api/auth/login`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type',
          },
        });
      const allowed = await preflight('https://agora.example.org');
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://agora.example.org');
      expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
      const other = await preflight('https://evil.example');
      expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
    } finally {
      await open.stop();
    }
  });

  it('carries the request id over NATS', async () => {
    let header: string | undefined;
    const sub = probe.subscribe(identityRpc.invitationLookup.subject, {
      max: 1,
      callback: (_e, msg) => {
        header = msg.headers?.get('x-request-id');
        const req = JSON.parse(msg.string()) as { id: string };
        msg.respond(
          JSON.stringify({
            id: req.id,
            err: { code: 'NOT_FOUND', message: 'none' },
            isDisposed: true,
          }),
        );
      },
    });
    await probe.flush();
    await (
      await api('/api/invitations/0123456789abcdef0123', {
        headers: { 'x-request-id': 'trace-42' },
      })
    ).body?.cancel();
    expect(header).toBe('trace-42');
    sub.unsubscribe();
  });

  it('checks uploads: image types only, 5 MiB at most', async () => {
    const { token } = await tokens.sign({ sub: 'd'.repeat(24), role: 'member' });
    const auth = { authorization: `Bearer ${token}` };
    await expectError(
      await api('/api/me/avatar', {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/json' },
        body: '{}',
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    await expectError(
      await api('/api/me/avatar', {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'image/png' },
        body: new Uint8Array(5 * 1024 * 1024 + 1),
      }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    await expectError(
      await api('/api/me/banner', {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'image/png' },
        body: new Uint8Array(10),
      }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('answers an unauthenticated upload 401 before reading its body, and closes the connection', async () => {
    // Only the headers go out: a gateway that waited for (or read) the 5 MiB would never answer.
    const conn = await rawHttp(
      uploadHead({ 'content-length': String(5 * 1024 * 1024), expect: undefined }),
    );
    const answer = await conn.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer).toContain('"UNAUTHENTICATED"');
    expect(answer).not.toContain('100 Continue');

    // Thirty at once (the flood that used to buffer 5 MiB each) are all answered from their headers.
    const flood = await Promise.all(
      Array.from({ length: 30 }, () =>
        rawHttp(uploadHead({ 'content-length': String(5 * 1024 * 1024), expect: undefined })),
      ),
    );
    for (const answer of await Promise.all(flood.map((c) => c.closed))) {
      expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    }

    // A bad token is refused the same way, and so is a client asking before sending.
    const forged = await new AccessTokenSigner(testAccessKeys().signingKey).sign({
      sub: memberId,
      role: 'member',
    });
    const asked = await rawHttp(
      uploadHead({ authorization: `Bearer ${forged.token}`, expect: '100-continue' }),
    );
    const refused = await asked.closed;
    expect(refused).toMatch(/^HTTP\/1\.1 401 /);
    expect(refused).not.toContain('100 Continue');
  });

  it('tells a signed-in uploader to go ahead (100 Continue) and only then reads the body', async () => {
    const { token } = await tokens.sign({ sub: 'f'.repeat(24), role: 'member' });
    const body = new Uint8Array(64 * 1024);
    const conn = await rawHttp(
      uploadHead({ authorization: `Bearer ${token}`, 'content-length': String(body.length) }),
    );
    await conn.received(/^HTTP\/1\.1 100 Continue\r\n\r\n/);
    const seen = await identityTraffic(async () => {
      conn.socket.write(body);
      // Stored in the uploads bucket, then handed to identity (the probe answers NOT_FOUND).
      await conn.received(/HTTP\/1\.1 404 /);
    });
    expect(seen).toEqual([identityRpc.meImageSet.subject]);
    conn.socket.destroy();
  });

  it('answers 304 for media the client already holds, without asking identity', async () => {
    const id = 'e'.repeat(64);
    const seen = await identityTraffic(async () => {
      const res = await api(`/api/media/${id}`, { headers: { 'if-none-match': `"${id}"` } });
      expect(res.status).toBe(304);
      expect(res.headers.get('etag')).toBe(`"${id}"`);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    });
    expect(seen).toEqual([]);
  });

  it('serves the OpenAPI document and a self-hosted Swagger UI', async () => {
    const doc = (await (await api('/api/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, object>;
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const r of allRoutes) {
      expect(doc.paths[`/api${r.path.replace(/:(\w+)/g, '{$1}')}`]).toHaveProperty(
        r.method.toLowerCase(),
      );
    }
    const page = await api('/api/docs');
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('/api/docs/swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\//);
    const bundle = await api('/api/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    await bundle.body?.cancel();
    await expectError(await api('/api/docs/..%2Fpackage.json'), 404, 'NOT_FOUND');
  });

  it('renders the Swagger UI in a real browser under the CSP, with every operation', async () => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`${gw.base}/api/docs`);
      await page.waitForSelector('.opblock', { timeout: 15_000 });
      expect(await page.locator('.opblock').count()).toBe(allRoutes.length);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
