import { describe, expect, it } from 'vitest';
import { identityRoutes, type PrivateMember } from '@agora/proto';
import { createApiClient, pathOf, type TokenSource } from './client.js';
import { ApiError } from './errors.js';

const member: PrivateMember = {
  id: 'a'.repeat(24),
  displayName: 'Leila Haddad',
  bio: '',
  organisation: '',
  sector: null,
  country: 'TN',
  languages: [],
  expertise: [],
  avatarUrl: null,
  coverUrl: null,
  role: 'member',
  email: 'leila@example.org',
  preferredLanguage: 'ar',
  timeZone: 'Africa/Tunis',
  publicFields: [],
  completeness: { percent: 22, complete: false, missing: ['bio', 'organisation'] },
  createdAt: '2026-11-22T10:00:00.000Z',
};

interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

/** A fetch that answers from a queue and records what it was asked. */
function fakeFetch(responses: Array<() => Response>) {
  const calls: Call[] = [];
  const fn = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    calls.push({
      url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: init?.body,
    });
    const next = responses.shift();
    if (!next) return Promise.reject(new TypeError('no more responses'));
    return Promise.resolve(next());
  };
  return { fetch: fn, calls };
}

const json = (status: number, body: unknown) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const expired = json(401, { error: { code: 'TOKEN_EXPIRED', message: 'access token expired' } });

/** A 429 with the given Retry-After (none for null). */
const limited = (retryAfter: string | null) => () =>
  new Response(JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'too many requests' } }), {
    status: 429,
    headers: {
      'content-type': 'application/json',
      ...(retryAfter === null ? {} : { 'retry-after': retryAfter }),
    },
  });

/** A `wait` that returns at once and records what it was asked to wait. */
function recordedWaits() {
  const waits: number[] = [];
  const wait = (ms: number) => {
    waits.push(ms);
    return Promise.resolve();
  };
  return { waits, wait };
}

function tokens(initial: string | null, refreshTo: string | null) {
  let token = initial;
  let refreshes = 0;
  const source: TokenSource = {
    token: () => token,
    refresh: () => {
      refreshes += 1;
      if (refreshTo === null) return Promise.resolve(false);
      token = refreshTo;
      return Promise.resolve(true);
    },
  };
  return { source, refreshes: () => refreshes };
}

describe('pathOf', () => {
  it('fills and encodes path parameters and adds the query', () => {
    expect(pathOf(identityRoutes.invitationLookup, { token: 'a b/c?d' })).toBe(
      '/api/invitations/a%20b%2Fc%3Fd',
    );
    expect(pathOf(identityRoutes.adminMailbox, undefined, { offset: 0, limit: 20 })).toBe(
      '/api/admin/mailbox?offset=0&limit=20',
    );
  });

  it('refuses a missing path parameter instead of calling a wrong URL', () => {
    expect(() => pathOf(identityRoutes.meImage, {})).toThrow(/kind/);
  });
});

describe('createApiClient', () => {
  it('sends the bearer token and JSON body, same-origin, and returns the parsed response', async () => {
    const { fetch, calls } = fakeFetch([json(200, member)]);
    const api = createApiClient(fetch, tokens('t1', null).source);
    const user = await api.request(identityRoutes.meUpdate, { body: { bio: 'Hello' } });
    expect(user.displayName).toBe('Leila Haddad');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('/api/me');
    expect(calls[0]?.method).toBe('PATCH');
    expect(calls[0]?.headers.get('authorization')).toBe('Bearer t1');
    expect(calls[0]?.headers.get('content-type')).toBe('application/json');
    expect(calls[0]?.body).toBe('{"bio":"Hello"}');
  });

  it('uploads a binary body raw, with the file type as content type', async () => {
    const { fetch, calls } = fakeFetch([json(200, member)]);
    const api = createApiClient(fetch, tokens('t1', null).source);
    const file = new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' });
    await api.request(identityRoutes.meImage, { params: { kind: 'avatar' }, body: file });
    expect(calls[0]?.url).toBe('/api/me/avatar');
    expect(calls[0]?.method).toBe('PUT');
    expect(calls[0]?.headers.get('content-type')).toBe('image/png');
    expect(calls[0]?.body).toBe(file);
  });

  it('refreshes once on TOKEN_EXPIRED and retries with the new token', async () => {
    const { fetch, calls } = fakeFetch([expired, json(200, member)]);
    const t = tokens('old', 'new');
    const api = createApiClient(fetch, t.source);
    await api.request(identityRoutes.meGet, {});
    expect(t.refreshes()).toBe(1);
    expect(calls.map((c) => c.headers.get('authorization'))).toEqual(['Bearer old', 'Bearer new']);
  });

  it('retries only once: a second TOKEN_EXPIRED is the caller’s error', async () => {
    const { fetch, calls } = fakeFetch([expired, expired]);
    const t = tokens('old', 'new');
    const api = createApiClient(fetch, t.source);
    const err = await api.request(identityRoutes.meGet, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('TOKEN_EXPIRED');
    expect(t.refreshes()).toBe(1);
    expect(calls).toHaveLength(2);
  });

  it('does not retry when the refresh fails (signed out)', async () => {
    const { fetch, calls } = fakeFetch([expired]);
    const t = tokens('old', null);
    const api = createApiClient(fetch, t.source);
    await expect(api.request(identityRoutes.meGet, {})).rejects.toMatchObject({
      code: 'TOKEN_EXPIRED',
      status: 401,
    });
    expect(calls).toHaveLength(1);
  });

  it('sends a rate-limited read again after its Retry-After, at most twice', async () => {
    const { waits, wait } = recordedWaits();
    const once = fakeFetch([limited('1'), json(200, member)]);
    const api = createApiClient(once.fetch, tokens('t', null).source, wait);
    await expect(api.request(identityRoutes.meGet, {})).resolves.toMatchObject({ id: member.id });
    expect(once.calls).toHaveLength(2);
    expect(waits).toEqual([1000]);

    // A third 429 in a row is the caller's error.
    waits.length = 0;
    const always = fakeFetch([limited('0'), limited('2'), limited('1')]);
    const patient = createApiClient(always.fetch, tokens('t', null).source, wait);
    await expect(patient.request(identityRoutes.meGet, {})).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
    });
    expect(always.calls).toHaveLength(3);
    expect(waits).toEqual([0, 2000]);
  });

  it('does not wait out a long Retry-After, nor send a rate-limited write again', async () => {
    const { waits, wait } = recordedWaits();
    const { fetch, calls } = fakeFetch([limited('60'), limited(null), limited('1')]);
    const api = createApiClient(fetch, tokens('t', null).source, wait);
    await expect(api.request(identityRoutes.meGet, {})).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    await expect(api.request(identityRoutes.meGet, {})).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    await expect(
      api.request(identityRoutes.meUpdate, { body: { displayName: 'Leila' } }),
    ).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(calls.map((c) => c.method)).toEqual(['GET', 'GET', 'PATCH']);
    expect(waits).toEqual([]);
  });

  it('does not refresh on other 401s, nor on public routes', async () => {
    const unauth = json(401, { error: { code: 'UNAUTHENTICATED', message: 'bad credentials' } });
    const { fetch, calls } = fakeFetch([unauth, expired]);
    const t = tokens('x', 'y');
    const api = createApiClient(fetch, t.source);
    await expect(api.request(identityRoutes.meGet, {})).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(
      api.request(identityRoutes.login, { body: { email: 'a@b.c', password: 'p' } }),
    ).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect(t.refreshes()).toBe(0);
    expect(calls).toHaveLength(2);
  });

  it('turns validation errors into per-field issues, with bounds from the proto schema', async () => {
    // The gateway's shape: `{ in, path, code, message }` per issue, no bounds.
    const { fetch } = fakeFetch([
      json(400, {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'request does not match the contract',
          details: [
            {
              in: 'body',
              path: ['password'],
              code: 'too_small',
              message: 'at least 12 characters',
            },
            {
              in: 'body',
              path: ['email'],
              code: 'invalid_format',
              message: 'Invalid email address',
            },
            {
              in: 'body',
              path: ['password'],
              code: 'custom',
              message: 'second issue on the same field is ignored',
            },
            { in: 'body', path: ['displayName'], code: 'custom', message: 'this name is reserved' },
          ],
        },
      }),
    ]);
    const api = createApiClient(fetch, tokens(null, null).source);
    const err = (await api
      .request(identityRoutes.register, {
        body: {
          email: 'x',
          password: 'short',
          displayName: 'Al',
          country: 'TN',
          preferredLanguage: 'en',
        },
      })
      .catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(400);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.fields).toEqual({
      password: {
        code: 'too_small',
        message: 'at least 12 characters',
        minimum: 12,
        origin: 'string',
      },
      email: {
        code: 'invalid_format',
        message: 'Invalid email address',
        format: 'email',
        origin: 'string',
      },
      // Only the server knows this one: its message is kept, nothing is invented.
      displayName: { code: 'custom', message: 'this name is reserved' },
    });
  });

  it('reports a body outside the error shape as INTERNAL with the HTTP status', async () => {
    const { fetch } = fakeFetch([() => new Response('<html>Bad gateway</html>', { status: 502 })]);
    const api = createApiClient(fetch, tokens('t', null).source);
    await expect(api.request(identityRoutes.meGet, {})).rejects.toMatchObject({
      code: 'INTERNAL',
      status: 502,
    });
  });

  it('rejects a success response that breaks the proto contract', async () => {
    const { fetch } = fakeFetch([json(200, { ...member, completeness: { percent: 'lots' } })]);
    const api = createApiClient(fetch, tokens('t', null).source);
    await expect(api.request(identityRoutes.meGet, {})).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('maps a network failure to NETWORK', async () => {
    const { fetch } = fakeFetch([]);
    const api = createApiClient(fetch, tokens('t', null).source);
    await expect(api.request(identityRoutes.meGet, {})).rejects.toMatchObject({
      code: 'NETWORK',
      status: 0,
    });
  });

  it('answers undefined for 204 routes and sends an empty JSON body on bodiless POSTs', async () => {
    const { fetch, calls } = fakeFetch([() => new Response(null, { status: 204 })]);
    const api = createApiClient(fetch, tokens(null, null).source);
    await expect(api.request(identityRoutes.logout, {})).resolves.toBeUndefined();
    expect(calls[0]?.body).toBe('{}');
  });
});
