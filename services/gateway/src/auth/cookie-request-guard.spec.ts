import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/api-error.js';
import { assertSameSiteJson } from './cookie-request-guard.js';

function req(headers: Record<string, string>): Request {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (name: string) => lower[name.toLowerCase()] } as unknown as Request;
}
const json = { 'content-type': 'application/json; charset=utf-8', host: 'agora.example.org' };
const code = (r: Request, cors?: string) => {
  try {
    assertSameSiteJson(r, cors);
    return 'ok';
  } catch (err) {
    return err instanceof ApiError ? err.code : 'thrown';
  }
};

describe('assertSameSiteJson', () => {
  it('lets JSON from this site, from the CORS origin, or from a non-browser through', () => {
    expect(code(req({ ...json, origin: 'https://agora.example.org' }))).toBe('ok');
    expect(
      code(req({ ...json, origin: 'https://app.example.net' }), 'https://app.example.net'),
    ).toBe('ok');
    expect(code(req(json))).toBe('ok');
    expect(code(req({ ...json, 'sec-fetch-site': 'same-origin' }))).toBe('ok');
  });

  it('refuses forms and bodies that are not JSON', () => {
    expect(code(req({ host: 'agora.example.org' }))).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(code(req({ ...json, 'content-type': 'text/plain' }))).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(code(req({ ...json, 'content-type': 'application/x-www-form-urlencoded' }))).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('refuses another site, however it says so', () => {
    expect(code(req({ ...json, origin: 'https://evil.example' }))).toBe('FORBIDDEN');
    expect(code(req({ ...json, origin: 'null' }))).toBe('FORBIDDEN');
    expect(code(req({ ...json, 'sec-fetch-site': 'cross-site' }))).toBe('FORBIDDEN');
    expect(code(req({ ...json, origin: 'https://agora.example.org.evil.example' }))).toBe(
      'FORBIDDEN',
    );
  });
});
