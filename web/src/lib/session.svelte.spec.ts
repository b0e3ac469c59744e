import { describe, expect, it } from 'vitest';
import type { PrivateMember } from '@agora/proto';
import { Session } from './session.svelte.js';

const member: PrivateMember = {
  id: 'b'.repeat(24),
  displayName: 'Sofia Marques',
  bio: '',
  organisation: '',
  sector: null,
  country: 'PT',
  languages: [],
  expertise: [],
  avatarUrl: null,
  coverUrl: null,
  role: 'member',
  email: 'sofia@example.org',
  preferredLanguage: 'pt',
  timeZone: 'Europe/Lisbon',
  publicFields: [],
  completeness: { percent: 22, complete: false, missing: ['bio'] },
  createdAt: '2026-11-22T10:00:00.000Z',
};
const auth = (token: string) => ({
  accessToken: token,
  accessExpiresAt: '2026-11-22T10:15:00.000Z',
  user: member,
});
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fetch that records calls; `answer` decides per call. */
function recordingFetch(answer: (url: string, n: number) => Response | Promise<Response>) {
  const urls: string[] = [];
  const fn = (input: RequestInfo | URL): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    urls.push(url);
    return Promise.resolve(answer(url, urls.length));
  };
  return { fetch: fn, urls };
}

describe('Session', () => {
  it('restores from the refresh cookie', async () => {
    const { fetch, urls } = recordingFetch(() => json(200, auth('a1')));
    const session = new Session(fetch);
    expect(session.status).toBe('loading');
    await session.restore();
    expect(session.status).toBe('signed-in');
    expect(session.accessToken).toBe('a1');
    expect(session.user?.displayName).toBe('Sofia Marques');
    expect(urls).toEqual(['/api/auth/refresh']);
  });

  it('is signed out when there is no valid cookie', async () => {
    const { fetch } = recordingFetch(() =>
      json(401, { error: { code: 'UNAUTHENTICATED', message: 'no session' } }),
    );
    const session = new Session(fetch);
    await session.restore();
    expect(session.status).toBe('signed-out');
    expect(session.user).toBeNull();
  });

  it('restores once: later calls, signed in or out, ask the server nothing', async () => {
    const { fetch, urls } = recordingFetch(() =>
      json(401, { error: { code: 'UNAUTHENTICATED', message: 'no session' } }),
    );
    const session = new Session(fetch);
    await Promise.all([session.restore(), session.restore()]);
    await session.restore();
    expect(session.status).toBe('signed-out');
    expect(urls).toEqual(['/api/auth/refresh']);
  });

  it('shares one refresh between concurrent callers (the cookie is single-use)', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { fetch, urls } = recordingFetch(async () => {
      await gate;
      return json(200, auth('a2'));
    });
    const session = new Session(fetch);
    const results = Promise.all([session.refresh(), session.refresh(), session.refresh()]);
    release();
    expect(await results).toEqual([true, true, true]);
    expect(urls).toHaveLength(1);
  });

  it('refreshes on TOKEN_EXPIRED and retries the call with the new token', async () => {
    const seen: string[] = [];
    const fn = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      seen.push(`${url} ${new Headers(init?.headers).get('authorization') ?? '-'}`);
      if (url === '/api/auth/login') return Promise.resolve(json(200, auth('old')));
      if (url === '/api/auth/refresh') return Promise.resolve(json(200, auth('new')));
      const bearer = new Headers(init?.headers).get('authorization');
      return Promise.resolve(
        bearer === 'Bearer new'
          ? json(200, member)
          : json(401, { error: { code: 'TOKEN_EXPIRED', message: 'expired' } }),
      );
    };
    const session = new Session(fn);
    await session.login('sofia@example.org', 'a long enough password');
    const { identityRoutes } = await import('@agora/proto');
    await session.api.request(identityRoutes.meGet, {});
    expect(seen).toEqual([
      '/api/auth/login -',
      '/api/me Bearer old',
      '/api/auth/refresh Bearer old',
      '/api/me Bearer new',
    ]);
    expect(session.accessToken).toBe('new');
  });

  it('a refused refresh signs out; a network failure does not', async () => {
    let mode: 'down' | 'refused' = 'down';
    const fn = (input: RequestInfo | URL): Promise<Response> => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url === '/api/auth/login') return Promise.resolve(json(200, auth('t')));
      if (mode === 'down') return Promise.reject(new TypeError('fetch failed'));
      return Promise.resolve(json(401, { error: { code: 'UNAUTHENTICATED', message: 'revoked' } }));
    };
    const session = new Session(fn);
    await session.login('sofia@example.org', 'a long enough password');
    expect(await session.refresh()).toBe(false);
    expect(session.status).toBe('signed-in');
    mode = 'refused';
    expect(await session.refresh()).toBe(false);
    expect(session.status).toBe('signed-out');
    expect(session.accessToken).toBeNull();
  });

  it('logout forgets the member even when the server call fails', async () => {
    const fn = (input: RequestInfo | URL): Promise<Response> => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url === '/api/auth/login') return Promise.resolve(json(200, auth('t')));
      return Promise.resolve(json(503, { error: { code: 'UNAVAILABLE', message: 'down' } }));
    };
    const session = new Session(fn);
    await session.login('sofia@example.org', 'a long enough password');
    await expect(session.logout()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(session.status).toBe('signed-out');
    expect(session.user).toBeNull();
  });
});
