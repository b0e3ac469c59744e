import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { failLoad, loadFailureOf } from './load-error.js';

describe('loadFailureOf', () => {
  it('keeps the status and code the server answered', () => {
    expect(loadFailureOf(new ApiError(404, 'NOT_FOUND', 'no such invitation'))).toEqual({
      status: 404,
      body: { message: 'no such invitation', code: 'NOT_FOUND' },
    });
    expect(loadFailureOf(new ApiError(503, 'UNAVAILABLE', 'identity is down')).status).toBe(503);
  });

  it('says 503 when the gateway could not be reached', () => {
    expect(loadFailureOf(new ApiError(0, 'NETWORK', 'Failed to fetch'))).toEqual({
      status: 503,
      body: { message: 'Failed to fetch', code: 'NETWORK' },
    });
  });

  it('says 500 for a response that broke the contract, whatever its status', () => {
    const drift = new ApiError(200, 'INTERNAL', 'response does not match the contract');
    expect(loadFailureOf(drift)).toEqual({
      status: 500,
      body: { message: 'response does not match the contract', code: 'INTERNAL' },
    });
  });

  it('says 500 for anything that is not an API error', () => {
    expect(loadFailureOf(new TypeError('x is undefined'))).toEqual({
      status: 500,
      body: { message: 'unexpected error', code: 'INTERNAL' },
    });
    expect(loadFailureOf('thrown string').status).toBe(500);
  });
});

describe('failLoad', () => {
  it("throws SvelteKit's HTTP error, which renders the error page", () => {
    let thrown: unknown;
    try {
      failLoad(new ApiError(429, 'RATE_LIMITED', 'slow down'));
    } catch (err) {
      thrown = err;
    }
    expect(isHttpError(thrown, 429)).toBe(true);
    expect(isHttpError(thrown) && thrown.body).toEqual({
      message: 'slow down',
      code: 'RATE_LIMITED',
    });
  });
});
