import { NotFoundException } from '@nestjs/common';
import { RpcCallError, RpcFailure } from '@agora/platform';
import { errorResponseSchema } from '@agora/proto';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { unmatchedRouteError } from './api-error.filter.js';
import { mapError } from './error-mapping.js';

describe('mapError', () => {
  it('passes RPC error bodies through with the proto status', () => {
    const m = mapError(
      new RpcCallError('agora.identity.login', {
        code: 'CONFLICT',
        message: 'taken',
        details: { f: 1 },
      }),
    );
    expect(m.status).toBe(409);
    expect(m.body).toEqual({ error: { code: 'CONFLICT', message: 'taken', details: { f: 1 } } });
    expect(mapError(new RpcCallError('s', { code: 'UNAVAILABLE', message: 'x' })).status).toBe(503);
    expect(mapError(new RpcFailure('TOKEN_EXPIRED', 'expired')).status).toBe(401);
  });

  it('maps body-parser failures', () => {
    const tooLarge = Object.assign(new Error('too big'), { type: 'entity.too.large', status: 413 });
    expect(mapError(tooLarge)).toMatchObject({
      status: 413,
      body: { error: { code: 'PAYLOAD_TOO_LARGE' } },
    });
    const malformed = Object.assign(new SyntaxError('Unexpected token'), {
      type: 'entity.parse.failed',
      status: 400,
    });
    expect(mapError(malformed)).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', message: 'malformed JSON body' } },
    });
  });

  it('keeps headers and status overrides of ApiError', () => {
    const m = mapError(
      new ApiError('RATE_LIMITED', 'slow down', { retryAfterSeconds: 3 }, { 'Retry-After': '3' }),
    );
    expect(m.status).toBe(429);
    expect(m.headers).toEqual({ 'Retry-After': '3' });
  });

  it("turns a service's retryAfterSeconds into a Retry-After header", () => {
    const m = mapError(
      new RpcFailure('RATE_LIMITED', 'too many failed sign-ins', { retryAfterSeconds: 4 }),
    );
    expect(m.status).toBe(429);
    expect(m.headers).toEqual({ 'Retry-After': '4' });
    expect(mapError(new RpcFailure('RATE_LIMITED', 'no figure')).headers).toEqual({});
    expect(mapError(new RpcFailure('FORBIDDEN', 'x', { retryAfterSeconds: 4 })).headers).toEqual(
      {},
    );
  });

  it('hides anything unexpected behind INTERNAL', () => {
    const m = mapError(new TypeError('secret stack detail'));
    expect(m).toMatchObject({
      status: 500,
      serverFault: true,
      body: { error: { code: 'INTERNAL', message: 'internal error' } },
    });
    expect(JSON.stringify(m.body)).not.toContain('secret');
  });

  it('always produces the one error shape', () => {
    for (const err of [
      new ApiError('FORBIDDEN', 'no'),
      new NotFoundException(),
      new Error('x'),
      'string',
      null,
    ]) {
      expect(errorResponseSchema.safeParse(mapError(err).body).success).toBe(true);
    }
  });
});

describe('unmatchedRouteError', () => {
  it('answers 405 with Allow for a known path under another method, 404 otherwise', () => {
    const e = unmatchedRouteError('POST', '/api/me');
    expect(e.status).toBe(405);
    expect(e.code).toBe('METHOD_NOT_ALLOWED');
    expect(e.headers.Allow?.split(', ').sort()).toEqual(['DELETE', 'GET', 'PATCH']);
    expect(unmatchedRouteError('GET', '/api/nothing').status).toBe(404);
    expect(unmatchedRouteError('DELETE', '/api/members/abc').status).toBe(405);
  });
});
